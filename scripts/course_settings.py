"""The one place the course's address is read from: ``repository.url`` in ``_config.yml``.

The book's launch and repository buttons read that setting directly (Jupyter Book); everything
else that needs the address (the notebooks' setup cell, the JupyterHub example configuration, the
nbgitpuller link) is written from it by ``python -m scripts.sync_repository``. To publish the
course under another address, change ``repository.url`` (and ``repository.branch``) and run
``make sync-repo``.

>>> repository_url().startswith("https://")
True
>>> repository_slug().count("/")
1
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
NOTEBOOKS = ROOT / "notebooks"


def _config() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def repository_url() -> str:
    """The course repository's web address, without a trailing slash."""
    url = str(_config()["repository"]["url"]).rstrip("/")
    if not url.startswith("https://"):
        raise ValueError(f"repository.url in _config.yml must be an https:// address, got {url!r}")
    return url


def repository_branch() -> str:
    """The branch learners pull (``repository.branch``, default ``main``)."""
    return str(_config()["repository"].get("branch") or "main")


def repository_slug() -> str:
    """``owner/name`` of the repository (the part after the host)."""
    return urlsplit(repository_url()).path.strip("/").removesuffix(".git")


def repository_folder() -> str:
    """The folder nbgitpuller clones into: the repository's name."""
    return repository_slug().rsplit("/", 1)[-1]


def hub_url() -> str:
    """The JupyterHub the book's launch button points at (``launch_buttons.jupyterhub_url``)."""
    return str(_config()["launch_buttons"]["jupyterhub_url"]).rstrip("/")


def notebook_paths() -> list[Path]:
    """Every course notebook, in lesson order (``notebooks/NN_name.ipynb``)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def nbgitpuller_link(hub: str | None = None, notebook: str = "00_welcome.ipynb") -> str:
    """The link to send learners: the hub clones (first time) or pulls the course, then opens
    ``notebook`` in JupyterLab.

    >>> link = nbgitpuller_link("https://hub.example.org")
    >>> link.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=")
    True
    """
    hub = (hub or hub_url()).rstrip("/")
    target = f"lab/tree/{repository_folder()}/notebooks/{notebook}"
    return (f"{hub}/hub/user-redirect/git-pull?repo={quote(repository_url(), safe='')}"
            f"&urlpath={quote(target, safe='')}&branch={quote(repository_branch(), safe='')}")
