"""Benchmark and evaluation scripts: run them with `python -m benchmarks.<name>`."""
