"""Pytest settings for the whole repository: no test may reach the network.

Every test and doctest runs with a socket guard (``tests/offline_guard.py``) that refuses any
connection, datagram or name lookup to a host other than loopback; an attempt fails the test,
even if the code under test caught the exception. The notebooks' kernels get the same guard in
``tests/test_offline_notebooks.py`` and ``tests/lab``.
"""
import pytest

from tests import offline_guard


@pytest.fixture(autouse=True)
def no_network():
    """Fail the test if it tried to reach another machine (the guard refuses it as it happens)."""
    offline_guard.install()
    offline_guard.ATTEMPTS.clear()
    yield
    attempts, offline_guard.ATTEMPTS[:] = list(offline_guard.ATTEMPTS), []
    assert not attempts, f"the test tried to reach the network: {attempts}"
