"""Benchmarks of clausecheck: how fast answers come, how cost grows, how it compares.

Run ``python -m bench`` from the repository root (``python -m bench --quick`` for a
short run); it prints a table per section and writes the figures as JSON. The method
and the latest figures are in ``docs/benchmarks.md``. Nothing here is a test: no
figure is asserted anywhere.
"""
