"""Fixtures for the course in JupyterLab: one server on a temporary copy of the notebooks and
one headless chromium for the whole session (see ``labdriver.py``)."""
from __future__ import annotations

import pytest

from .labdriver import LabServer, copy_notebooks, launch_chromium


@pytest.fixture(scope="session")
def lab_notebooks(tmp_path_factory):
    """A temporary copy of notebooks/: running them in the lab must not touch stored outputs."""
    root = tmp_path_factory.mktemp("lab-notebooks")
    copy_notebooks(root)
    return root


@pytest.fixture(scope="session")
def lab_server(lab_notebooks):
    with LabServer(lab_notebooks) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()
