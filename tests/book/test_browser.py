"""Open every page of the built book in a real headless browser (Debian's chromium, driven by
Playwright), served over http from 127.0.0.1, with every request to another host blocked, and
check what a reader would see: no console errors, no failed requests, every image loaded, the
math rendered by MathJax, the page's title and the book's navigation present.

A full-page screenshot of each page is saved under ``_build/screenshots/`` for a human to look at.
Skipped (with a message saying why) where ``/usr/bin/chromium`` is not installed; `.ci/run`
installs it.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .bookcheck import ROOT, parse_page, toc_pages

CHROMIUM = Path(os.environ.get("MF_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "_build" / "screenshots"
# Flags headless chromium needs in a sandbox with no network but the loopback (no GPU, no shared
# memory, no background updates or sync).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

if not CHROMIUM.exists() and os.environ.get("CI") == "true":
    pytest.fail(f"CI must run the browser checks: no chromium at {CHROMIUM} (.ci/run installs it)",
                pytrace=False)
if not CHROMIUM.exists():
    pytest.skip(f"browser checks skipped: no chromium at {CHROMIUM} (install Debian's `chromium` "
                "package, as .ci/run does, or set MF_CHROMIUM)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

PAGES = toc_pages() + ["genindex", "search"]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def nav_labels() -> list[str]:
    return toc_pages()


def _visit(browser, url: str, site_host: str):
    """Load ``url``; return the page and what went wrong while loading it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: dict[str, list[str]] = {"console": [], "failed": [], "external": []}

    def on_route(route):
        host = urlsplit(route.request.url).netloc
        if route.request.url.startswith(("data:", "blob:")) or host == site_host:
            route.continue_()
        else:
            problems["external"].append(route.request.url)
            route.abort()

    context.route("**/*", on_route)
    page.on("console", lambda msg: msg.type == "error" and problems["console"].append(
        f"{msg.text} @ {msg.location.get('url', '')}"))
    page.on("pageerror", lambda exc: problems["console"].append(f"uncaught: {exc}"))
    page.on("requestfailed", lambda req: problems["failed"].append(
        f"{req.url}: {req.failure}"))
    page.on("response", lambda resp: resp.status >= 400 and problems["failed"].append(
        f"{resp.url}: HTTP {resp.status}"))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, problems


@pytest.mark.parametrize("docname", PAGES)
def test_page_in_browser(browser, site_url, html_dir, docname):
    path = html_dir / f"{docname}.html"
    assert path.exists(), f"{docname}.html was not built"
    site_host = urlsplit(site_url).netloc
    context, page, problems = _visit(browser, f"{site_url}/{docname}.html", site_host)
    try:
        has_math = page.evaluate(
            "document.querySelectorAll('.math, span.math, div.math, .mathjax_process').length") > 0
        if has_math:
            # MathJax 3 typesets asynchronously after load.
            page.wait_for_function(
                "window.MathJax && MathJax.startup && MathJax.startup.promise"
                " && document.querySelectorAll('mjx-container').length > 0", timeout=20_000)
            page.evaluate("MathJax.startup.promise")
        images = page.evaluate("""Array.from(document.images).map(img => ({
            src: img.currentSrc || img.src, complete: img.complete, width: img.naturalWidth}))""")
        title = page.title()
        h1 = page.evaluate("(document.querySelector('main h1, article h1') || {}).textContent || ''")
        nav_links = page.evaluate(
            "document.querySelectorAll('nav.bd-docs-nav a.reference.internal, "
            "#bd-docs-nav a.reference.internal').length")
        raw_tex_left = page.evaluate(
            "Array.from(document.querySelectorAll('span.math, div.math'))"
            ".filter(el => !el.querySelector('mjx-container')).length")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{docname.replace('/', '__')}.png"),
                        full_page=True)
    finally:
        context.close()

    assert not problems["console"], f"console errors on {docname}: {problems['console']}"
    assert not problems["failed"], f"failed requests on {docname}: {problems['failed']}"
    assert not problems["external"], (
        f"{docname} tried to load from other hosts (the site must work offline): "
        f"{problems['external']}")
    broken = [img["src"] for img in images if not (img["complete"] and img["width"] > 0)]
    assert not broken, f"images that did not load on {docname}: {broken}"
    assert title and "Micro-Futures Lab" in title, f"{docname}: page title is {title!r}"
    if docname not in ("genindex", "search"):
        assert h1.strip(), f"{docname}: no h1 heading"
        assert h1.strip().rstrip("#").strip() in title, f"{docname}: title {title!r} vs h1 {h1!r}"
    assert nav_links >= len(toc_pages()) - 1, (
        f"{docname}: the book navigation shows {nav_links} links; expected every page of _toc.yml")
    if has_math:
        assert raw_tex_left == 0, f"{docname}: {raw_tex_left} math elements left unrendered"
    if docname.startswith("notebooks/"):
        assert parse_page(path).title, docname
