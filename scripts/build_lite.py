"""Build the JupyterLite site of the course (``make lite``) into ``_build/html/lite/``.

The site runs every notebook in the reader's browser (Pyodide), with no server:

* the notebooks, with MyST-only markup rewritten to plain Markdown (scripts/myst_plain.py), each
  stored text output joined into one string (JupyterLite shows a stray comma at the start of each
  line of a multi-line output stored as a list), and outputs that only hold a live widget dropped
  (the learner re-runs the cell to get the slider);
* the library as a wheel, and the wheels the Pyodide kernel would otherwise fetch from PyPI at start
  (ipywidgets, comm, jupyterlab_widgets, tqdm; at the versions installed here, i.e. pinned by
  requirements.txt), with the PyPI fallback disabled, so ``%pip install microfut_lib`` in the setup
  cell installs from the site itself.

What still comes from the network when a reader opens the site: the Pyodide runtime (with numpy,
matplotlib and pillow), from the CDN that ``jupyterlite-pyodide-kernel`` names. To self-host it, pass
``--pyodide-url URL`` (or set PYODIDE_URL) to a copy of the full Pyodide release unpacked on your
server (see book/workshop_lite.md).

Warnings are errors: the build fails when ``jupyter lite build`` reports a warning or an error.
Usage: python -m scripts.build_lite [--output-dir DIR] [--pyodide-url URL]
"""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from scripts import course_settings as settings
from scripts.myst_plain import notebook_to_plain

ROOT = settings.ROOT
# `jupyter lite` runs from its own environment (made by `make lite` from requirements-lite.txt)
LITE_BIN = ROOT / ".venv-lite" / "bin"
STAGE = ROOT / "_build" / "lite-src"
WHEEL_CACHE = ROOT / "_build" / "lite-wheels"
DEFAULT_OUT = ROOT / "_build" / "html" / "lite"
# what the Pyodide kernel installs at start or the library needs that Pyodide does not ship
KERNEL_WHEELS = ("ipywidgets", "comm", "jupyterlab_widgets", "tqdm")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PROBLEM = re.compile(r"\b(warning|error|traceback)\b", re.IGNORECASE)


def lite_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The site's copy of one notebook (see the module docstring)."""
    nb = nbformat.from_dict(nb)
    notebook_to_plain(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                continue
            if isinstance(output.get("text"), list):
                output["text"] = "".join(output["text"])
            for mime, value in data.items():
                if isinstance(value, list):
                    data[mime] = "".join(value)
            kept.append(output)
        cell.outputs = kept
    return nb


def library_wheel(dest: Path) -> Path:
    """Build the library's wheel from a copy of its sources (keeps build/ out of the work tree)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / "microfut_lib", src / "microfut_lib",
                        ignore=shutil.ignore_patterns("__pycache__"))
        # offline with the setuptools the venv has (Python 3.11); else pip fetches a build backend
        isolation = ["--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *isolation,
                        "-w", str(dest), str(src)], check=True)
    return next(dest.glob("microfut_lib-*.whl"))


def kernel_wheels(dest: Path) -> list[Path]:
    """The widget wheels at the installed (pinned) versions, downloaded once into a cache."""
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    found = []
    for name in KERNEL_WHEELS:
        version = importlib.metadata.version(name)
        pattern = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        cached = list(WHEEL_CACHE.glob(pattern))
        if not cached:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "--only-binary=:all:", "-d", str(WHEEL_CACHE), f"{name}=={version}"],
                           check=True)
            cached = list(WHEEL_CACHE.glob(pattern))
        if len(cached) != 1:
            raise SystemExit(f"no pure-Python wheel {pattern} for {name}=={version}")
        found.append(Path(shutil.copy2(cached[0], dest)))
    return found


def lite_config(pyodide_url: str | None) -> dict:
    kernel = {"disablePyPIFallback": True}
    if pyodide_url:
        kernel["pyodideUrl"] = pyodide_url
    return {"jupyter-lite-schema-version": 0,
            "jupyter-config-data": {
                "appName": "Micro-Futures Lab (JupyterLite)",
                "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": kernel}}}


def stage(pyodide_url: str | None) -> list[Path]:
    shutil.rmtree(STAGE, ignore_errors=True)
    (STAGE / "content").mkdir(parents=True)
    (STAGE / "wheels").mkdir()
    for path in settings.notebook_paths():
        nb = lite_notebook(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        # not nbformat.write: it splits every multi-line string back into a list of lines
        (STAGE / "content" / path.name).write_text(
            json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    wheels = [library_wheel(STAGE / "wheels"), *kernel_wheels(STAGE / "wheels")]
    (STAGE / "jupyter-lite.json").write_text(json.dumps(lite_config(pyodide_url), indent=2))
    return wheels


def build(output_dir: Path = DEFAULT_OUT, pyodide_url: str | None = None) -> float:
    """Stage and build the site; return the build time in seconds."""
    start = time.perf_counter()
    wheels = stage(pyodide_url)
    shutil.rmtree(output_dir, ignore_errors=True)  # a deleted notebook would otherwise stay
    if not (LITE_BIN / "jupyter").exists():
        raise SystemExit(f"{LITE_BIN / 'jupyter'} is missing: run `make lite`, which creates "
                         ".venv-lite from requirements-lite.txt")
    command = [str(LITE_BIN / "jupyter"), "lite", "build", "--lite-dir", str(STAGE),
               "--contents", "content", "--output-dir", str(output_dir), "--no-sourcemaps",
               "--no-libarchive", *[a for w in wheels for a in ("--piplite-wheels", str(w))]]
    done = subprocess.run(command, cwd=STAGE, capture_output=True, text=True)
    log = done.stdout + done.stderr
    (ROOT / "_build" / "lite-build.log").write_text(log)
    problems = [line for line in log.splitlines() if PROBLEM.search(line)]
    if done.returncode or problems:
        raise SystemExit(f"jupyter lite build failed (rc={done.returncode}):\n" + "\n".join(
            problems or log.splitlines()[-30:]))
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--pyodide-url", default=os.environ.get("PYODIDE_URL"))
    args = parser.parse_args(argv)
    seconds = build(args.output_dir.resolve(), args.pyodide_url)
    size = sum(p.stat().st_size for p in args.output_dir.rglob("*") if p.is_file())
    print(f"JupyterLite site built in {seconds:.1f} s: {args.output_dir} ({size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
