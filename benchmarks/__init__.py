"""Benchmarks: one module per target, run with `.venv/bin/python -m benchmarks.<name>`.

They are not tests: they need PostgreSQL and a few minutes, and print figures.
"""
