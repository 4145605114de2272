"""The JupyterLite site published with the book (``make lite`` → ``_build/html/lite``; `make
test-book` builds it) and the "Run in your browser" link on every notebook page. What can be
checked offline: the site was built without warnings, holds every notebook and the wheels, the
kernel never falls back to PyPI, stored outputs read correctly, MyST markup reads as Markdown.
Running the notebooks in Pyodide needs the Pyodide runtime from its CDN (see
book/workshop_lite.md), so it is not tested here."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .bookcheck import ROOT, parse_page, toc_pages

NOTEBOOK_PAGES = [p for p in toc_pages() if p.startswith("notebooks/")]
ROLE_LEFT = re.compile(r"\{[a-zA-Z][\w:+-]*\}`")


@pytest.fixture(scope="module")
def lite(html_dir) -> Path:
    site = html_dir / "lite"
    if not (site / "index.html").exists():
        pytest.fail(f"{site} is not built: run `make lite` (make test-book does)")
    return site


def test_lite_build_log_has_no_warning(lite):
    log = (ROOT / "_build" / "lite-build.log").read_text()
    assert not re.search(r"\b(warning|error|traceback)\b", log, re.IGNORECASE)


def test_lite_site_holds_every_notebook(lite):
    listed = json.loads((lite / "api" / "contents" / "all.json").read_text())
    names = {item["name"] for item in listed["content"]}
    expected = {Path(p).name + ".ipynb" for p in NOTEBOOK_PAGES}
    assert expected <= names, f"missing from the Lite site: {expected - names}"
    assert all((lite / "files" / n).is_file() for n in expected)


def test_lite_site_ships_the_library_and_widget_wheels_with_no_pypi_fallback(lite):
    index = json.loads((lite / "pypi" / "all.json").read_text())
    for name in ("microfut-lib", "ipywidgets", "comm", "jupyterlab-widgets", "tqdm"):
        assert name in index, f"{name} wheel not in the site's piplite index"
        for release in index[name]["releases"].values():
            for wheel in release:
                assert (lite / "pypi" / Path(urlsplit(wheel["url"]).path).name).is_file()
    config = json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert any(u.startswith("./pypi/all.json") for u in kernel["pipliteUrls"])


@pytest.mark.parametrize("docname", NOTEBOOK_PAGES)
def test_lite_copy_reads_well_outside_the_book(lite, docname):
    nb = json.loads((lite / "files" / (Path(docname).name + ".ipynb")).read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = re.sub(r"```.*?```", "", "".join(cell["source"]), flags=re.S)
            assert not ROLE_LEFT.search(text), text[:200]
        for output in cell.get("outputs", []):
            # a list of lines shows a stray comma at each line start in JupyterLite
            assert not isinstance(output.get("text"), list)
            assert not any(isinstance(v, list) for v in output.get("data", {}).values())
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})
    setup = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "%pip install -q microfut_lib\n" in "".join(setup["source"])


@pytest.mark.parametrize("docname", NOTEBOOK_PAGES)
def test_notebook_page_links_to_its_lite_copy(html_dir, lite, docname):
    page_path = html_dir / f"{docname}.html"
    links = [u for u in parse_page(page_path).links if "/lab/index.html?path=" in u]
    assert len(links) == 1, links
    url = urlsplit(links[0])
    assert (page_path.parent / url.path).resolve() == (lite / "lab" / "index.html").resolve()
    name = parse_qs(url.query)["path"][0]
    assert name == Path(docname).name + ".ipynb" and (lite / "files" / name).is_file()


def test_lite_notebook_opens_offline_and_only_the_pyodide_runtime_is_remote(lite, site_url):
    """In headless chromium with every outside request blocked: JupyterLite opens a lesson and
    renders it (terms as plain emphasis, stored figures shown); the one request to another host
    is the Pyodide runtime, as book/workshop_lite.md says."""
    from .test_browser import CHROMIUM, CHROMIUM_ARGS  # skips the module's way without chromium
    sync_api = pytest.importorskip("playwright.sync_api")
    host = urlsplit(site_url).netloc
    outside: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", lambda route: route.continue_()
                          if urlsplit(route.request.url).netloc == host
                          or route.request.url.startswith(("data:", "blob:"))
                          else (outside.append(route.request.url), route.abort()))
            page = context.new_page()
            page.goto(f"{site_url}/lite/lab/index.html?path=01_landscape.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput", timeout=90_000)
            page.wait_for_timeout(3000)
            markdown = page.locator(".jp-Notebook .jp-MarkdownOutput")
            cells = markdown.count()
            text = "\n".join(markdown.all_inner_texts())
            figures = page.locator(".jp-Notebook .jp-OutputArea img").count()
        finally:
            browser.close()
    assert cells >= 5 and "The landscape" in text
    assert "{term}" not in text and "{doc}" not in text
    assert figures >= 1
    remote = {(urlsplit(u).netloc, urlsplit(u).path.split("/")[1]) for u in outside}
    assert remote <= {("cdn.jsdelivr.net", "pyodide")}, outside
