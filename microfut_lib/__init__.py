"""Micro-Futures Lab: the exact math of leveraged crypto futures, for learning.

Import it as ``import microfut_lib as mf``. The math modules need numpy only; figures
(:mod:`microfut_lib.plots`) and sliders (:mod:`microfut_lib.widgets`) sit on top.
"""
from __future__ import annotations

__version__ = "0.1.0"
