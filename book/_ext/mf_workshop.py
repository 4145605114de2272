"""Local Sphinx extension for the workshop routes of the Micro-Futures Lab book.

* ``{mf-repo}`text <path>``` role: a link into the course repository, built from the one setting
  ``repository.url`` in ``_config.yml`` (Jupyter Book passes it on as the theme's
  ``repository_url``), so no page hard-codes the address. ``{mf-repo}`repository``` links the
  repository itself, ``{mf-repo}`issue tracker <issues>``` its issues.
* Every notebook page gets a "Run in your browser" link to the same notebook in the JupyterLite
  site that ``make lite`` publishes under ``_build/html/lite/``.
* ``{mf-memory-table}``: memory per learner and per room, from ``deploy/memory.json`` (written by
  ``python -m benchmarks memory``), so the sizing advice cannot drift from the measurement.
* ``{mf-lesson-timing}``: each lesson's stated time, exercises, sliders and measured "Run all"
  time, read from the notebooks themselves and ``deploy/memory.json``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.utils import unescape
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
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


ROOT = Path(__file__).resolve().parents[2]
MEMORY = ROOT / "deploy" / "memory.json"
STATED_TIME = re.compile(r"\*\*Time:\*\*\s*(?:about\s*)?([^.(\n]+)")


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table(classes=["mf-workshop-table"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in header]
    head, body = nodes.thead(), nodes.tbody()
    group += [head, body]
    for parent, cells in [(head, header)] + [(body, r) for r in rows]:
        row = nodes.row()
        for text in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=text)
            row += entry
        parent += row
    return table


class MemoryTable(SphinxDirective):
    """Kernel peak per lesson, the server, and what a room of learners needs."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(MEMORY))
        mem = json.loads(MEMORY.read_text())
        rows = [[name, f"{mib:.0f} MiB", f"{mem.get('run_all_seconds', {}).get(name, float('nan')):.1f} s"]
                for name, mib in mem["kernel_peak_mib"].items()]
        rows += [["bare kernel (baseline)", f"{mem['bare_kernel_mib']:.0f} MiB", ""],
                 ["JupyterLab server", f"{mem['server_mib']:.0f} MiB", ""]]
        lessons = _table(["Process", "Peak memory", "Run all"], rows)
        one, every = mem["per_learner_one_lesson_mib"], mem["per_learner_all_lessons_mib"]
        rooms = _table(["Learners", "One lesson open each", "Every lesson open each"],
                       [["1", f"{one:.0f} MiB", f"{every:.0f} MiB"]]
                       + [[n, f"{r['one_lesson']:.1f} GiB", f"{r['all_lessons']:.1f} GiB"]
                          for n, r in mem["rooms_gib"].items()])
        note = nodes.paragraph(text=f"Measured on {mem['measured_at']} with Python {mem['python']}; "
                               f"heaviest lesson: {mem['heaviest_lesson']}.")
        return [lessons, rooms, note]


class LessonTiming(SphinxDirective):
    """One row per notebook: stated time, exercises, sliders, measured Run-all time."""

    def run(self) -> list[nodes.Node]:
        mem = json.loads(MEMORY.read_text()) if MEMORY.exists() else {}
        self.env.note_dependency(str(MEMORY))
        rows = []
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            self.env.note_dependency(str(path))
            cells = json.loads(path.read_text())["cells"]
            text = ["".join(c["source"]) for c in cells]
            stated = next((m.group(1).strip() for t in text for m in [STATED_TIME.search(t)] if m), "?")
            exercises = sum(len(re.findall(r"\*\*Exercise \d", t)) for t in text)
            sliders = sum(len(re.findall(r"\w+_explorer\(\)", t)) for t, c in zip(text, cells)
                          if c["cell_type"] == "code")
            seconds = mem.get("run_all_seconds", {}).get(path.stem)
            rows.append([path.stem, stated, str(exercises), str(sliders),
                         f"{seconds:.1f} s" if seconds is not None else "not measured"])
        return [_table(["Lesson", "Stated time", "Exercises", "Sliders", "Run all (measured)"], rows)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("mf-memory-table", MemoryTable)
    app.add_directive("mf-lesson-timing", LessonTiming)
    app.add_role("mf-repo", _repo_role)
    app.connect("doctree-resolved", _add_lite_link)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
