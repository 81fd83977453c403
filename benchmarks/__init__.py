"""Benchmarks of the pipeline against peers: `python -m benchmarks.run` writes docs/benchmarks.md."""
