"""Pytest settings for the whole repository.

- Doctest namespace: ``PRESETS`` (the contract presets), ``np`` and ``mf`` (the package) are there
  in every doctest, so a module imports only what its code uses.
- No test may reach the network: every test and doctest runs with a socket guard
  (``tests/offline_guard.py``) that refuses any connection, datagram or name lookup to a host
  other than loopback; an attempt fails the test, even if the code under test caught the
  exception. The notebooks' kernels get the same guard in ``tests/test_offline_notebooks.py``
  and ``tests/lab``.
"""
import numpy as np
import pytest

import microfut_lib as mf
from tests import offline_guard


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict) -> None:
    doctest_namespace.update(PRESETS=mf.PRESETS, np=np, mf=mf)


@pytest.fixture(autouse=True)
def no_network():
    """Fail the test if it tried to reach another machine (the guard refuses it as it happens)."""
    offline_guard.install()
    offline_guard.ATTEMPTS.clear()
    yield
    attempts, offline_guard.ATTEMPTS[:] = list(offline_guard.ATTEMPTS), []
    assert not attempts, f"the test tried to reach the network: {attempts}"
