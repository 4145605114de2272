"""Benchmarks for Micro-Futures Lab: ``make bench`` runs ``python -m benchmarks``.

Each ``bench_*.py`` module defines ``run() -> list[dict]`` and records its figures with
:func:`benchmarks.record.figure`; every figure is a ratio against a baseline measured in the
same process, and all of them are written to ``_build/bench.json``.
"""
