"""Peer benchmarks: the scenarios of shared/BENCH.md with Dagster's public API, side by side.

``python bench/peers/run.py`` (or ``make bench-peers``) runs assetgraph, Dagster and the
hand-written baseline alternately, each run its own process. The Dagster variants run in
their own virtual environment, ``.venv-peers`` (``bench/peers/requirements.txt``); Dagster
is never a dependency of assetgraph. Modules here import only the standard library at
module level, so the runner loads them cheaply under either interpreter.
"""
