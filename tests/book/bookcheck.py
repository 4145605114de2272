"""Helpers for the checks of the built book (run by `make test-book`, after `make book`).

The book is built by `make book` into ``_build/html`` and its log saved to
``_build/book-build.log``; these tests read both and never build the book themselves.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
BUILD_LOG = ROOT / "_build" / "book-build.log"


def toc_pages() -> list[str]:
    """Every document of ``_toc.yml`` (root first), as docnames like ``notebooks/00_welcome``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append(str(Path(entry["file"]).with_suffix("")))
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return pages


@dataclass
class Page:
    """What a built HTML page refers to."""
    path: Path
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)        # <a href>
    resources: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) the page loads
    scripts: list[dict[str, str]] = field(default_factory=list)     # attributes of <script>
    title: str = ""


class _Collector(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        if tag == "a" and "href" in a:
            self.page.links.append(a["href"])
        if tag == "script":
            self.page.scripts.append(a)
        if tag == "title":
            self._in_title = True
        loaded = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
                  "video": "src", "embed": "src", "object": "data", "track": "src"}
        if tag in loaded and a.get(loaded[tag]):
            self.page.resources.append((tag, a[loaded[tag]]))
        if tag == "link" and a.get("href"):
            rel = a.get("rel", "")
            # stylesheets, icons, preloads and the like are fetched by the browser;
            # rel="next"/"prev"/"index"/"search"/"canonical" are plain navigation links.
            if any(r in rel for r in ("stylesheet", "icon", "preload", "modulepreload",
                                      "manifest", "prefetch", "dns-prefetch", "preconnect")):
                self.page.resources.append(("link", a["href"]))
            else:
                self.page.links.append(a["href"])
        if tag in ("img", "source") and a.get("srcset"):
            for part in a["srcset"].split(","):
                self.page.resources.append((tag, part.strip().split(" ")[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data


@functools.cache
def parse_page(path: Path) -> Page:
    page = Page(path)
    _Collector(page).feed(path.read_text(encoding="utf-8"))
    page.title = page.title.strip()
    return page


def built_html_files() -> list[Path]:
    """Every page of the built site (not the theme's template fragments in _static/)."""
    return sorted(p for p in HTML.rglob("*.html")
                  if p.relative_to(HTML).parts[0] not in ("_static", "_sources", "vendor"))


