"""Running plans: step execution, executors, and ``materialize``."""
