"""The benchmark harness of shared/BENCH.md: scenarios, their baselines, and the runner."""
