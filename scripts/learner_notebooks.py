"""Write learner copies of the course notebooks: solutions stripped, outputs cleared.

One source, two versions: the notebooks in ``notebooks/`` are the instructor's (solutions in cells
tagged ``solution``, outputs stored for the book and nbval). Each learner copy

* drops every cell tagged ``solution`` (the exercise prompt and its ``answer = None`` cell stay;
  where a solution was not preceded by a code cell, an empty one takes its place),
* clears every output, execution count and the stored widget state,
* rewrites MyST-only markup ({term}, {doc}, directives) into plain Markdown (scripts/myst_plain.py),
  so the copy reads well in plain JupyterLab.

Usage: python -m scripts.learner_notebooks [OUT_DIR]   (``make learner``; default _build/learner)
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from scripts import course_settings as settings
from scripts.myst_plain import notebook_to_plain

SOLUTION_TAG = "solution"
DEFAULT_OUT = settings.ROOT / "_build" / "learner"


def is_solution(cell: dict) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def learner_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A learner copy of ``nb`` (``nb`` itself is left untouched)."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        if is_solution(cell):
            if not cells or cells[-1].cell_type != "code":
                empty = nbformat.v4.new_code_cell("", metadata={"tags": ["answer"]})
                empty.pop("id", None)
                cells.append(empty)
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    notebook_to_plain(nb)
    if nb.nbformat_minor >= 5:  # fresh, unique ids for the inserted cells
        for i, cell in enumerate(nb.cells):
            cell["id"] = cell.get("id") or f"learner-{i}"
    return nb


def write_learner_copies(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.ipynb"):
        stale.unlink()
    written = []
    for path in settings.notebook_paths():
        nb = learner_version(nbformat.read(path, as_version=4))
        target = out_dir / path.name
        nbformat.write(nb, target)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]).resolve() if argv else DEFAULT_OUT
    for path in write_learner_copies(out_dir):
        print(f"wrote {path.relative_to(settings.ROOT) if path.is_relative_to(settings.ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
