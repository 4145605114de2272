"""Build each lesson's slide deck (reveal.js) for offline presenting: ``make slides``.

Slide metadata is derived at build time from the cell structure, so the notebooks carry none:

* a markdown cell opening with a ``#``/``##`` heading or an exercise prompt starts a slide, one
  opening with ``###`` or a "What the math says" box starts a sub-slide (down arrow);
* every other cell continues the current slide;
* cells the book hides are skipped (tags ``remove-cell``, ``hide-cell``, ``solution``, and
  ``remove-input`` cells without output); ``remove-input``/``hide-input`` show only the output,
  ``remove-output``/``hide-output`` only the code; live-widget outputs are dropped (present the
  static figure that follows each explorer; run the notebook itself for the sliders);
* MyST-only markup becomes plain Markdown (scripts/myst_plain.py); each figure keeps the alt
  text the book uses (``metadata.mystnb.image.alt``).

The deck loads nothing from another host: reveal.js 4.0.2 comes from the npm registry (fetched and
checked against its sha512 by book/fetch_vendor.py's helpers), require.js and MathJax 3 are the
book's vendored copies, and the template (scripts/slides_template) drops nbconvert's mermaid and
jQuery tags and its MathJax 2 calls. Decks go to ``_build/slides/NN_name.slides.html``, with their
scripts in ``_build/slides/vendor/``; open one in a browser (no server needed).

Usage: python -m scripts.build_slides [notebooks/NN_name.ipynb ...] [--out DIR] [--vendor-only]
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from scripts import course_settings as settings
from scripts.myst_plain import notebook_to_plain

ROOT = settings.ROOT
DEFAULT_OUT = ROOT / "_build" / "slides"
TEMPLATE = Path(__file__).resolve().parent / "slides_template"
REVEAL = ("reveal.js", "4.0.2",
          "sha512-LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==")
REVEAL_CACHE = ROOT / "_build" / "slides-vendor" / f"reveal.js-{REVEAL[1]}"
SKIP_TAGS = {"remove-cell", "hide-cell", "solution"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SUBSLIDE = re.compile(r"^(###\s|:::+\{admonition\}|`{3,}\{admonition\}|> \*\*What the math says)")
SLIDE = re.compile(r"^(#{1,2}\s|\*\*Exercise)")


def _fetch_vendor_module():
    spec = importlib.util.spec_from_file_location("fetch_vendor", ROOT / "book" / "fetch_vendor.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fetch_vendor_files() -> None:
    """Fetch (once) and check what the decks load: the book's vendored scripts and reveal.js."""
    fetch_vendor = _fetch_vendor_module()
    if fetch_vendor.main() != 0:
        raise SystemExit("could not fetch the book's vendored scripts")
    if not (REVEAL_CACHE / "dist" / "reveal.js").exists():
        archive = fetch_vendor.fetch(*REVEAL)
        fetch_vendor.copy_members(archive, "package", REVEAL_CACHE, keep=lambda rel: rel == "LICENSE"
                                  or rel.startswith(("dist/", "plugin/notes/")))


def vendor(out_dir: Path, fetch: bool = True) -> None:
    """Put reveal.js, require.js and MathJax 3 under ``out_dir/vendor``. With ``fetch=False``
    (the tests, which must not reach the network) the files must already be there."""
    book_vendor = ROOT / "book" / "_vendor" / "vendor"
    if fetch:
        fetch_vendor_files()
    elif not ((REVEAL_CACHE / "dist" / "reveal.js").exists() and (book_vendor / "require.js").exists()):
        raise FileNotFoundError("the decks' scripts are not fetched: run `make slides` "
                                "(make test-lib does) first")
    dest = out_dir / "vendor"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(REVEAL_CACHE, dest / "reveal.js")
    shutil.copytree(book_vendor / "mathjax", dest / "mathjax")
    shutil.copy2(book_vendor / "require.js", dest / "require.js")


def slide_type(cell: dict) -> str:
    """The reveal slide type of one cell (see the module docstring)."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & SKIP_TAGS:
        return "skip"
    if cell["cell_type"] == "code":
        if "remove-input" in tags and not cell.get("outputs"):
            return "skip"
        return "-"
    text = cell["source"].lstrip()
    if SLIDE.match(text):
        return "slide"
    if SUBSLIDE.match(text):
        return "subslide"
    return "-"


def image_alt(cell: dict) -> str | None:
    """The figure's alt text, stored for the book in ``metadata.mystnb.image.alt``."""
    return cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")


def slide_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with slide metadata, book-only markup and hidden parts removed."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        kind = slide_type(cell)  # decided on the original MyST source
        cell.metadata["slideshow"] = {"slide_type": kind}
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
            alt = image_alt(cell)
            for output in cell.outputs:
                if alt and "image/png" in output.get("data", {}):
                    output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = alt
    notebook_to_plain(nb)
    if nb.cells and nb.cells[0].metadata["slideshow"]["slide_type"] == "-":
        nb.cells[0].metadata["slideshow"]["slide_type"] = "slide"
    return nb


def exporter() -> SlidesExporter:
    exp = SlidesExporter(extra_template_basedirs=[str(TEMPLATE.parent)], template_name=TEMPLATE.name)
    exp.reveal_url_prefix = "vendor/reveal.js"
    exp.reveal_theme = "white"  # the default theme loads Google Fonts
    exp.require_js_url = "vendor/require.js"
    exp.mathjax_url = "vendor/mathjax/tex-mml-chtml.js"
    exp.jquery_url = ""
    # the book's tags: show only the output, or only the code
    exp.register_preprocessor(TagRemovePreprocessor(
        remove_input_tags={"remove-input", "hide-input"},
        remove_all_outputs_tags={"remove-output", "hide-output"}), enabled=True)
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    return exp


def build(paths: list[Path], out_dir: Path = DEFAULT_OUT, fetch: bool = True) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    vendor(out_dir, fetch)
    exp = exporter()
    written = []
    for path in paths:
        nb = slide_notebook(nbformat.read(path, as_version=4))
        nb.metadata["title"] = nb.cells[0].source.lstrip("# ").split("\n", 1)[0] if nb.cells else path.stem
        html, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = out_dir / f"{path.stem}.slides.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--vendor-only", action="store_true",
                        help="only fetch what the decks load (make test-lib needs it offline)")
    args = parser.parse_args(argv)
    if args.vendor_only:
        fetch_vendor_files()
        return 0
    paths = [p.resolve() for p in args.notebooks] or settings.notebook_paths()
    for target in build(paths, args.out.resolve()):
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
