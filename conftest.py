"""Doctest namespace: the names every docstring example may use without importing them.

``PRESETS`` (the contract presets), ``np`` and ``mf`` (the package) are there in every doctest, so
a module imports only what its code uses.
"""
import numpy as np
import pytest

import microfut_lib as mf


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict) -> None:
    doctest_namespace.update(PRESETS=mf.PRESETS, np=np, mf=mf)
