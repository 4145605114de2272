"""The benchmarks still fit the library: every module imports, has its ``run()``, and every name
it imports from ``microfut_lib`` (also inside functions) exists. `make bench` is not part of
`make test`, so a renamed library name would otherwise break it unnoticed. Nothing is timed here."""
import ast
import importlib
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[1] / "benchmarks"
BENCHMARKS = sorted(p.stem for p in FOLDER.glob("bench_*.py"))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_imports_names_the_library_has(name):
    module = importlib.import_module(f"benchmarks.{name}")
    assert callable(getattr(module, "run", None)), f"benchmarks/{name}.py has no run()"
    tree = ast.parse((FOLDER / f"{name}.py").read_text())
    missing = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("microfut_lib"):
            source = importlib.import_module(node.module)
            missing += [f"{node.module}.{a.name}" for a in node.names if not hasattr(source, a.name)]
    assert not missing, f"benchmarks/{name}.py imports names that do not exist: {missing}"
