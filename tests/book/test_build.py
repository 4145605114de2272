"""Checks of the built book in ``_build/html`` and of its build log (``make book`` writes both):
0 warnings, every page of ``_toc.yml`` built, internal links and anchors resolve, the pages load
nothing from other hosts, and the reference pages cover what they promise."""
from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .bookcheck import BUILD_LOG, ROOT, built_html_files, parse_page, toc_pages

# Sphinx reports "path:line: WARNING: ..." / "ERROR: ..." / "CRITICAL: ..."; the kernels' own
# "[IPKernelApp] WARNING | ..." lines on stderr are not build warnings.
SPHINX_PROBLEM = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL|SEVERE): ")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Hosts a reader may click through to (never loaded by a page). Each earns its place:
LINK_HOSTS = {
    "github.com": "the repository button, issues and source links",
    "mybinder.org": "the Binder launch button",
    "colab.research.google.com": "the Colab launch button",
    "hub.micro-futures-lab.org": "the JupyterHub launch button (placeholder hub URL)",
    # sources of every exchange convention and product spec (references page)
    "www.binance.com": "Binance USDⓈ-M / COIN-M liquidation price and funding documentation",
    "www.bybit.com": "Bybit liquidation price documentation",
    "www.cmegroup.com": "CME Bitcoin, Micro Bitcoin and Micro Ether contract specifications",
    "www.coinbase.com": "Coinbase Derivatives nano Bitcoin specification",
}


def _log_text() -> str:
    if not BUILD_LOG.exists():
        pytest.fail(f"no build log at {BUILD_LOG}: run `make book` first (make test-book does)")
    return ANSI.sub("", BUILD_LOG.read_text(encoding="utf-8", errors="replace"))


def test_build_log_has_no_warnings():
    log = _log_text()
    problems = [line for line in log.splitlines() if SPHINX_PROBLEM.search(line)]
    assert not problems, f"{len(problems)} build warnings/errors:\n" + "\n".join(problems[:30])
    assert "build succeeded" in log, "the build log does not end in 'build succeeded'"


def test_every_toc_page_is_built(html_dir):
    pages = toc_pages()
    assert len(pages) >= 12
    missing = [p for p in pages if not (html_dir / f"{p}.html").exists()]
    assert not missing, f"pages of _toc.yml with no HTML: {missing}"
    for docname in pages:
        page = parse_page(html_dir / f"{docname}.html")
        assert page.title.endswith("Micro-Futures Lab"), (docname, page.title)
    # the site's front door sends readers to the landing page
    assert f"{pages[0]}.html" in (html_dir / "index.html").read_text(encoding="utf-8")


def _resolve(page_path: Path, url: str, html_dir: Path) -> tuple[Path, str] | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
        return None
    target = page_path if not parts.path else (page_path.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_internal_links_and_anchors_resolve(html_dir):
    broken = []
    for path in built_html_files():
        page = parse_page(path)
        for url in page.links + [u for _, u in page.resources]:
            resolved = _resolve(path, url, html_dir)
            if resolved is None:
                continue
            target, fragment = resolved
            rel = path.relative_to(html_dir)
            if not target.exists():
                broken.append(f"{rel}: {url} (no such file)")
            elif not target.is_relative_to(html_dir.resolve()):
                broken.append(f"{rel}: {url} (outside the site)")
            elif fragment and target.suffix == ".html" and fragment not in parse_page(target).ids:
                broken.append(f"{rel}: {url} (no anchor #{fragment})")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


def test_pages_load_nothing_from_other_hosts(html_dir):
    """Scripts, stylesheets, images, iframes: all served by the site itself (it works offline)."""
    external = []
    for path in built_html_files():
        for tag, url in parse_page(path).resources:
            if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                external.append(f"{path.relative_to(html_dir)}: <{tag}> {url}")
    for css in html_dir.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(
                encoding="utf-8", errors="replace")):
            external.append(f"{css.relative_to(html_dir)}: url({url})")
    assert not external, "resources loaded from other hosts:\n" + "\n".join(sorted(set(external)))


def test_external_links_only_to_allowed_hosts(html_dir):
    hosts: dict[str, str] = {}
    for path in built_html_files():
        for url in parse_page(path).links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                hosts.setdefault(parts.netloc, f"{path.relative_to(html_dir)}: {url}")
    unexpected = {h: where for h, where in hosts.items() if h not in LINK_HOSTS}
    assert not unexpected, f"links to hosts outside the allow-list: {unexpected}"
    for needed in ("mybinder.org", "colab.research.google.com", "github.com"):
        assert needed in hosts, f"no link to {needed} anywhere: launch/repository buttons missing"


@pytest.mark.parametrize("docname", [p for p in toc_pages() if p.startswith("notebooks/")])
def test_notebook_pages_have_launch_download_and_fullscreen_buttons(html_dir, docname):
    page = parse_page(html_dir / f"{docname}.html")
    name = Path(docname).name
    assert any("mybinder.org/v2/gh/" in u and f"{name}.ipynb" in u for u in page.links), "Binder"
    assert any("colab.research.google.com/github/" in u and u.endswith(f"{name}.ipynb")
               for u in page.links), "Colab"
    assert any("/hub/user-redirect/git-pull" in u for u in page.links), "JupyterHub"
    assert any(u.endswith(f"_sources/{docname}.ipynb") for u in page.links), ".ipynb download"
    assert (html_dir / "_sources" / f"{docname}.ipynb").exists()
    assert "btn-fullscreen-button" in (html_dir / f"{docname}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("docname", [p for p in toc_pages() if p.startswith("notebooks/")])
def test_widget_pages_use_the_vendored_scripts_and_show_no_dead_controls(html_dir, docname):
    text = (html_dir / f"{docname}.html").read_text(encoding="utf-8")
    page = parse_page(html_dir / f"{docname}.html")
    srcs = [s.get("src", "") for s in page.scripts]
    if any(s.get("type") == "application/vnd.jupyter.widget-state+json" for s in page.scripts):
        for name in ("vendor/require.js", "vendor/html-manager/embed-amd.js"):
            assert any(name in src for src in srcs), f"{docname} does not load {name}"
    # A widget view in the static page would be a control that does nothing without a kernel:
    # explorer cells are tagged remove-output and followed by a static figure.
    assert "application/vnd.jupyter.widget-view+json" not in text, (
        f"{docname} shows a live widget that cannot work without a kernel")
    assert sum(1 for tag, _ in page.resources if tag == "img") >= 1, f"{docname}: no figure"


def test_math_uses_the_vendored_mathjax(html_dir):
    page = parse_page(html_dir / "book" / "formulas.html")
    srcs = [s.get("src", "") for s in page.scripts]
    assert any("vendor/mathjax/tex-mml-chtml.js" in s for s in srcs), srcs
    assert (html_dir / "vendor" / "mathjax" / "tex-mml-chtml.js").exists()


def test_no_loose_scripts_in_static_of_the_book():
    """Jupyter Book 1 injects every .js below the book's _static/ into every page."""
    static = ROOT / "_static"
    assert not static.exists() or not list(static.rglob("*.js")), list(static.rglob("*.js"))


def test_glossary_defines_the_core_terms(html_dir):
    ids = parse_page(html_dir / "book" / "glossary.html").ids
    core = ["leverage", "margin", "initial margin", "maintenance margin", "liquidation price",
            "bankruptcy price", "notional value", "contract size", "linear contract",
            "inverse contract", "perpetual contract", "funding rate", "mark price",
            "isolated margin", "cross margin", "ROE", "PnL", "stop-loss", "tick size",
            "micro contract", "nano contract", "premium index", "maker", "taker"]
    lowered = {i.lower() for i in ids}
    missing = [t for t in core if f"term-{t.replace(' ', '-')}".lower() not in lowered]
    assert not missing, f"glossary terms missing: {missing}"


def test_api_reference_documents_every_public_name(html_dir):
    import microfut_lib as mf

    ids = parse_page(html_dir / "book" / "api.html").ids
    public = [n for n, obj in vars(mf).items()
              if not n.startswith("_") and not inspect.ismodule(obj)
              and (callable(obj) or n.isupper())]
    assert public, "microfut_lib exports nothing"
    # documented under the flat name mf.<name>, or under its module where the two clash
    missing = [n for n in public if f"microfut_lib.{n}" not in ids
               and not any(i.startswith("microfut_lib.") and i.endswith(f".{n}.{n}") for i in ids)]
    assert not missing, f"public names with no entry on the API page: {missing}"
    modules = sorted(p.stem for p in (ROOT / "microfut_lib").glob("[!_]*.py"))
    missing_modules = [m for m in modules if f"module-microfut_lib.{m}" not in ids]
    assert not missing_modules, f"modules without a section on the API page: {missing_modules}"


def test_formula_sheet_links_each_formula_to_its_function(html_dir):
    page = parse_page(html_dir / "book" / "formulas.html")
    linked = {u.split("#", 1)[1] for u in page.links if "api.html#microfut_lib." in u}
    for name in ("notional", "initial_margin", "maintenance_margin", "pnl", "roe",
                 "liquidation_price", "bankruptcy_price", "funding_payment",
                 "funding_rate_from_premium", "position_size"):
        assert f"microfut_lib.{name}" in linked, f"formula sheet does not link {name}"


def test_status_page_lists_every_notebook_execution(html_dir):
    text = (html_dir / "book" / "status.html").read_text(encoding="utf-8")
    for docname in (p for p in toc_pages() if p.startswith("notebooks/")):
        assert Path(docname).name in text, f"{docname} missing from the execution status table"


@pytest.mark.parametrize("docname", [p for p in toc_pages() if p.startswith("notebooks/")])
def test_every_hidden_explorer_is_followed_by_a_static_figure(html_dir, docname):
    """A slider cell hidden from the static page (tag remove-output) must have a stand-in: the
    next cell with output shows a figure."""
    text = (html_dir / f"{docname}.html").read_text(encoding="utf-8")
    cells = re.split(r'<div class="cell(?=[ "])', text)[1:]
    for i, cell in enumerate(cells):
        if "tag_remove-output" not in cell.split(">", 1)[0] or "_explorer" not in cell:
            continue
        following = next((c for c in cells[i + 1:] if "cell_output" in c), "")
        assert "<img" in following, (
            f"{docname}: explorer cell #{i} is hidden but no figure follows it")


class _Images(HTMLParser):
    """The ``(src, alt)`` of every ``<img>`` of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            a = {k: (v or "") for k, v in attrs}
            self.images.append((a.get("src", ""), a.get("alt", "")))


@pytest.mark.parametrize("docname", [p for p in toc_pages() if p.startswith("notebooks/")])
def test_every_figure_has_alt_text_that_says_what_it_shows(html_dir, docname):
    """Sphinx writes an image's file path as its alt text when the cell gives none: a screen
    reader would read out a hash. Each figure's alt (from the cell's ``mystnb.image.alt``
    metadata) describes it in words, with its key numbers."""
    parser = _Images()
    parser.feed((html_dir / f"{docname}.html").read_text(encoding="utf-8"))
    figures = [(src, alt) for src, alt in parser.images if "_images/" in src]
    assert figures, f"{docname}: no figure found"
    for src, alt in figures:
        name = Path(unquote(src)).name
        assert alt and name not in alt and not re.search(r"\.(png|jpe?g|svg|gif)\b", alt), (
            f"{docname}: the figure {name} has its file path for alt text: {alt!r}")
        assert len(alt.split()) >= 12 and re.search(r"\d", alt), (
            f"{docname}: the alt text of {name} does not say what it shows: {alt!r}")
