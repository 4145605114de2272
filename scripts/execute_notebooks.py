"""Re-execute course notebooks in place, top to bottom in a fresh kernel, and store their outputs.

nbval compares the stored outputs of the key-number cells, so after a change that moves a number
the notebooks rely on, run ``make notebooks`` (or this script on some of them) and review the diff.
Per-cell timing metadata is dropped so re-running an unchanged notebook changes nothing but the
widget model ids.

Usage: python scripts/execute_notebooks.py [notebooks/NN_name.ipynb ...]   (default: all)
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(NOTEBOOKS.parent)}")


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
