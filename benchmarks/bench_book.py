"""Book build times: a clean full build and a no-change rebuild (goals: ≤ 120 s and ≤ 15 s).

The book is built exactly as ``make book`` builds it (warnings as errors, nitpicky), but in a
temporary copy of the work tree so ``_build/html`` is left alone. Three builds, in order:

1. clean: no ``_build`` at all, so every notebook is executed;
2. no-change rebuild: the same command again, nothing changed;
3. clean pages with a warm notebook cache: ``_build/html`` and the doctrees removed, the
   jupyter-cache kept, so it shows what executing the notebooks adds to a clean build.

Figures: the clean build against (3) (ratio = the cost of executing the notebooks), and the
rebuild against the clean build (ratio = how much faster a rebuild is).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.record import figure

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
CLEAN_GOAL_S, REBUILD_GOAL_S = 120.0, 15.0


def _copy_work_tree(dest: Path) -> None:
    """Tracked and untracked-but-not-ignored files, plus the fetched vendored JavaScript."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    vendor = ROOT / "book" / "_vendor"
    if not (vendor / "vendor" / "VERSIONS").exists():
        subprocess.run([sys.executable, str(ROOT / "book" / "fetch_vendor.py")], check=True)
    shutil.copytree(vendor, dest / "book" / "_vendor")


def _build(src: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    t0 = time.perf_counter()
    done = subprocess.run([str(JUPYTER_BOOK), "build", str(src), "--warningiserror",
                           "--keep-going", "-n"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"book build failed (exit {done.returncode}):\n{done.stdout[-3000:]}"
                           f"\n{done.stderr[-2000:]}")
    return seconds


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="mf-bench-book-") as tmp:
        src = Path(tmp) / "book-src"
        src.mkdir()
        _copy_work_tree(src)
        clean = _build(src)
        rebuild = _build(src)
        shutil.rmtree(src / "_build" / "html")
        shutil.rmtree(src / "_build" / ".doctrees", ignore_errors=True)
        warm_cache = _build(src)
    return [
        figure("book clean full build", clean, "s", baseline=warm_cache,
               baseline_name="clean pages, notebooks from a warm cache", ratio=clean / warm_cache,
               goal=f"<= {CLEAN_GOAL_S:.0f} s", met=clean <= CLEAN_GOAL_S),
        figure("book no-change rebuild", rebuild, "s", baseline=clean,
               baseline_name="clean full build", ratio=clean / rebuild,
               goal=f"<= {REBUILD_GOAL_S:.0f} s", met=rebuild <= REBUILD_GOAL_S),
    ]
