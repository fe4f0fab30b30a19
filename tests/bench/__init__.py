"""Benchmarks: `make bench` (python -m tests.bench [name ...]) runs every tests/bench/bench_*.py.

Each module has a docstring (its first line is the heading) and a `run()` that returns its
figures as a list of (label, value string); tests.bench.__main__ prints them as a table.
Benchmarks are not tests: pytest never collects these modules (they are not test_*.py).
"""
