"""Automation: freshness and automation policies, schedules, sensors, the tick evaluator and
the daemon that runs it.

The definition-level modules (``policies``, ``schedules``, ``sensors``) import nothing heavy
and nothing of storage or execution, so ``@asset`` and ``Definitions`` can use them; the
evaluator, run launching and the daemon sit on top of storage and execution.
"""
