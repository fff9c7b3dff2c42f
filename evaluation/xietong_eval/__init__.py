"""Evaluation-only code: held-out splits, peers and graph builders used by benchmarks/ and
tests/. Not part of the shipped ``xietong`` package; nothing in ``xietong`` imports it.
Benchmarks put this folder on ``sys.path`` through ``benchmarks/_report.py``; pytest through
``pythonpath`` in pyproject.toml."""
