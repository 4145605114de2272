"""Local Sphinx extension for the workshop routes of the Micro-Futures Lab book.

* ``{mf-repo}`text <path>``` role: a link into the course repository, built from the one setting
  ``repository.url`` in ``_config.yml`` (Jupyter Book passes it on as the theme's
  ``repository_url``), so no page hard-codes the address. ``{mf-repo}`repository``` links the
  repository itself, ``{mf-repo}`issue tracker <issues>``` its issues.
* Every notebook page gets a "Run in your browser" link to the same notebook in the JupyterLite
  site that ``make lite`` publishes under ``_build/html/lite/``.
"""
from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.utils import unescape
from sphinx.application import Sphinx
from sphinx.util.nodes import split_explicit_title

LITE_FOLDER = "lite"


def repository_url(app: Sphinx) -> str:
    url = (app.config.html_theme_options or {}).get("repository_url", "")
    if not url:
        raise ValueError("repository.url is not set in _config.yml")
    return str(url).rstrip("/")


def _repo_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
               options: dict | None = None, content: list | None = None):
    app = inliner.document.settings.env.app
    has_title, title, target = split_explicit_title(unescape(text))
    url = repository_url(app) + ("/" + target.strip("/") if has_title and target.strip("/") else "")
    return [nodes.reference(rawtext, title, refuri=url)], []


def lite_link(docname: str) -> str:
    """Page-relative URL of a notebook's copy in the JupyterLite site.

    >>> lite_link("notebooks/00_welcome")
    '../lite/lab/index.html?path=00_welcome.ipynb'
    """
    up = "../" * docname.count("/")
    return f"{up}{LITE_FOLDER}/lab/index.html?path={docname.rsplit('/', 1)[-1]}.ipynb"


def _add_lite_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not docname.startswith("notebooks/"):
        return
    sections = list(doctree.findall(nodes.section))
    if not sections:
        return
    para = nodes.paragraph(classes=["mf-run-in-browser"])
    para += nodes.reference("", "▶ Run in your browser", refuri=lite_link(docname),
                            classes=["mf-lite-link"])
    para += nodes.Text(" (JupyterLite: Python in this browser tab, no install, no server; "
                       "your changes stay in this browser).")
    title = sections[0].next_node(nodes.title)
    index = sections[0].index(title) + 1 if title is not None else 0
    sections[0].insert(index, para)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_role("mf-repo", _repo_role)
    app.connect("doctree-resolved", _add_lite_link)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
