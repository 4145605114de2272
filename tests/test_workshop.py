"""Workshop routes and the instructor's kit (issue 13): the one repository setting, binder/ and
repo2docker, the MyST-to-plain rewrite used outside the book, learner copies, slides, the handout
and the JupyterLite copies of the notebooks. The published Lite site is checked in
tests/book/test_workshop_site.py (it needs `make lite`)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from nbclient import NotebookClient

from scripts import (
    build_handout,
    build_lite,
    build_slides,
    course_settings,
    learner_notebooks,
    sync_repository,
)
from scripts.myst_plain import to_plain

ROOT = course_settings.ROOT
NOTEBOOKS = course_settings.notebook_paths()
IDS = [p.stem for p in NOTEBOOKS]
BIN = Path(sys.executable).parent
ROLE_LEFT = re.compile(r"\{[a-zA-Z][\w:+-]*\}`")
CHROMIUM = Path(os.environ.get("MF_CHROMIUM", "/usr/bin/chromium"))


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


# -- one setting for where the course lives ---------------------------------------------------

def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True,
                           text=True).stdout.split("\0")
    files = []
    for name in filter(None, names):
        path = ROOT / name
        if path.is_file() and path.suffix not in {".png", ".whl", ".gz", ".pdf"}:
            files.append(path)
    return files


def test_repository_address_is_written_only_from_the_one_setting():
    """The address (or its owner/name) appears in _config.yml, in the notebooks' setup cell and
    in the deploy/ files `make sync-repo` writes, each exactly as the generator writes it."""
    url, slug = course_settings.repository_url(), course_settings.repository_slug()
    generated = {p.resolve(): text for p, text in sync_repository.generated_files().items()}
    offenders = []
    for path in _tracked_text_files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if slug not in text or rel == "_config.yml":
            continue
        if path.suffix == ".ipynb":
            nb = nbformat.reads(text, as_version=4)
            setup = [c for c in nb.cells if c.cell_type == "code"][0]
            elsewhere = [c for c in nb.cells if c is not setup and slug in c.source]
            if setup.source != sync_repository.setup_cell_source() or elsewhere:
                offenders.append(f"{rel} (run `make sync-repo`)")
        elif path.resolve() in generated:
            if text != generated[path.resolve()]:
                offenders.append(f"{rel} is out of date (run `make sync-repo`)")
        else:
            offenders.append(rel)
    assert not offenders, f"{url} hard-coded outside _config.yml: {offenders}"


def test_sync_repository_follows_a_new_address_and_is_idempotent(monkeypatch):
    nb = _read(NOTEBOOKS[0])
    monkeypatch.setattr(course_settings, "repository_url", lambda: "https://example.org/me/course")
    assert sync_repository.sync_notebook(nb) is True
    setup = [c for c in nb.cells if c.cell_type == "code"][0]
    assert 'git+https://example.org/me/course@main"' in setup.source
    assert sync_repository.sync_notebook(nb) is False
    assert "micro-futures-lab" not in sync_repository.z2jh_config().split("REGISTRY/")[0] + \
        sync_repository.z2jh_config().split("tag: TAG")[1]


def test_sync_repository_inserts_a_setup_cell_where_a_notebook_has_none():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 9. New lesson"),
                                         nbformat.v4.new_code_cell("import microfut_lib as mf")])
    assert sync_repository.sync_notebook(nb) is True
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[1].source == sync_repository.setup_cell_source()
    assert nb.cells[2].source == "import microfut_lib as mf"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_setup_cell_for_lite_binder_and_colab(path):
    setup = [c for c in _read(path).cells if c.cell_type == "code"][0]
    assert setup.source == sync_repository.setup_cell_source(), "run `make sync-repo`"
    lines = setup.source.splitlines()
    # JupyterLite: piplite installs the site's own wheel; elsewhere pip installs from git
    lite = lines.index('    if sys.platform == "emscripten":  # JupyterLite: the wheel shipped with the site')
    assert lines[lite + 1].strip() == "%pip install -q microfut_lib"
    assert f"git+{course_settings.repository_url()}@" in lines[-1]


def test_check_mode_reports_nothing_to_do():
    done = subprocess.run([sys.executable, "-m", "scripts.sync_repository", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_nbgitpuller_link_encodes_repository_target_and_branch():
    link = course_settings.nbgitpuller_link("https://hub.example.org/")
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("hub.example.org", "/hub/user-redirect/git-pull")
    from urllib.parse import parse_qs
    query = parse_qs(parts.query)
    assert query["repo"] == [course_settings.repository_url()]
    assert query["branch"] == [course_settings.repository_branch()]
    assert query["urlpath"] == [f"lab/tree/{course_settings.repository_folder()}/notebooks/00_welcome.ipynb"]


# -- binder/ and repo2docker ------------------------------------------------------------------

def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"{path.name}: {line!r} is not pinned with =="
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_binder_pins_agree_with_requirements_and_cover_the_library():
    binder, root = _pins(ROOT / "binder" / "requirements.txt"), _pins(ROOT / "requirements.txt")
    disagree = {n: (v, root.get(n)) for n, v in binder.items() if n in root and root[n] != v}
    assert not disagree, f"binder pin vs requirements.txt: {disagree}"
    unknown = [n for n in binder if n not in root and n != "nbgitpuller"]
    assert not unknown, f"binder pins absent from requirements.txt: {unknown}"
    import tomllib
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!~ ]", d)[0].lower() for d in deps}
    assert names <= set(binder), f"library dependencies not pinned for Binder: {names - set(binder)}"
    # only the runtime: no test, book or build tools in the image
    assert not set(binder) & {"pytest", "jupyter-book", "nbval", "playwright", "hypothesis",
                              "jupyterlite-core", "jupyter-repo2docker", "backtesting"}


def test_repo2docker_dockerfile_installs_python_311_the_pins_and_the_library():
    done = subprocess.run([str(BIN / "repo2docker"), "--no-build", "--debug", str(ROOT)],
                          capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-2000:]
    assert "python=3.11" in out
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in out
    assert "./binder/postBuild" in out
    # the root requirements.txt (test and book tools) is not what Binder installs
    assert '-r "requirements.txt"' not in out
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps" in post and os.access(ROOT / "binder" / "postBuild", os.X_OK)


# -- MyST outside the book --------------------------------------------------------------------

@pytest.mark.parametrize("source, plain", [
    ("the {term}`mark price`", "the *mark price*"),
    ("see {doc}`the glossary <../book/glossary>`", "see the glossary"),
    ("{py:func}`mf.pnl` and {func}`~microfut_lib.roe`", "`mf.pnl` and `microfut_lib.roe`"),
    ("{math}`x^2`", "$x^2$"),
    ("(sec-liq)=\n# Title", "# Title"),
    ("```{note}\nBody.\n```", "> **Note**\n>\n> Body."),
    (":::{admonition} Two\n:class: tip\nA {term}`b`.\n:::", "> **Two**\n>\n> A *b*."),
    ("```python\nx = {term}\n```", "```python\nx = {term}\n```"),
])
def test_myst_markup_reads_as_plain_markdown(source, plain):
    assert to_plain(source) == plain


# -- learner copies ---------------------------------------------------------------------------

def _exercise_notebook() -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell("**Exercise 9.1.** What is 6 x 7? A {term}`product`."),
             nbformat.v4.new_code_cell("answer = None  # your answer here"),
             nbformat.v4.new_code_cell("answer = 6 * 7  # SECRET WORKING",
                                       metadata={"tags": ["hide-cell", "solution"]}),
             nbformat.v4.new_markdown_cell("**Exercise 9.2.** Explain."),
             nbformat.v4.new_code_cell("print('the reason')  # SECRET REASON",
                                       metadata={"tags": ["solution"]})]
    cells[1].outputs = [nbformat.v4.new_output("stream", text="None\n")]
    return nbformat.v4.new_notebook(cells=cells, metadata={"widgets": {"state": {}}})


def test_learner_version_strips_solutions_keeps_prompts_and_leaves_an_answer_cell():
    source = _exercise_notebook()
    learner = learner_notebooks.learner_version(source)
    text = nbformat.writes(learner)
    assert "SECRET" not in text and '"solution"' not in text
    assert [c.cell_type for c in learner.cells] == ["markdown", "code", "markdown", "code"]
    assert learner.cells[3].source == ""  # the empty answer cell where no code cell preceded
    assert all(c.outputs == [] for c in learner.cells if c.cell_type == "code")
    assert "widgets" not in learner.metadata and "*product*" in learner.cells[0].source
    assert "SECRET" in nbformat.writes(source)  # the source notebook is untouched


@pytest.fixture(scope="module")
def learner_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("learner")
    learner_notebooks.write_learner_copies(out)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_solution_leaks_into_the_learner_copy(path, learner_dir):
    """Every cell tagged `solution` is gone (that each worked solution carries the tag is the
    lessons' contract, checked by tests/test_notebook_pages.py on the lessons' branches)."""
    source = _read(path)
    copy = _read(learner_dir / path.name)
    solutions = [c.source for c in source.cells if learner_notebooks.is_solution(c)]
    kept = {c.source for c in copy.cells}
    leaked = [s for s in solutions if s.strip() and s in kept]
    assert not leaked, f"solutions left in the learner copy: {leaked}"
    assert not any(learner_notebooks.is_solution(c) for c in copy.cells)
    assert all(not c.outputs and c.execution_count is None
               for c in copy.cells if c.cell_type == "code")
    assert len(copy.cells) >= len(source.cells) - len(solutions)
    leftovers = [c.source[:60] for c in copy.cells if c.cell_type == "markdown"
                 and ROLE_LEFT.search(re.sub(r"```.*?```", "", c.source, flags=re.S))]
    assert not leftovers, f"MyST roles left in the learner copy: {leftovers}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_learner_copy_runs_top_to_bottom(path, learner_dir):
    nb = _read(learner_dir / path.name)
    env_backend = os.environ.pop("MPLBACKEND", None)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_source_notebooks_keep_the_outputs_nbval_checks(path):
    """nbval --nbval-lax compares nothing where a checked cell has no stored output: a stripped
    source notebook would pass silently. Every cell marked for checking keeps its output."""
    checked = [c for c in _read(path).cells if c.cell_type == "code" and (
        "nbval-check-output" in c.metadata.get("tags", []) or "NBVAL_CHECK_OUTPUT" in c.source)]
    empty = [c.source[:60] for c in checked if not c.outputs]
    assert not empty, f"cells marked for nbval output checks with no stored output: {empty}"


def test_some_notebook_cells_are_marked_for_output_checks():
    marked = sum(1 for p in NOTEBOOKS for c in _read(p).cells if c.cell_type == "code" and (
        "nbval-check-output" in c.metadata.get("tags", []) or "NBVAL_CHECK_OUTPUT" in c.source))
    assert marked >= len(NOTEBOOKS) - 1


# -- slides -----------------------------------------------------------------------------------

def test_slide_types_follow_the_cell_structure():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    assert build_slides.slide_type(md("# 1. Title")) == "slide"
    assert build_slides.slide_type(md("## 1.2 Part")) == "slide"
    assert build_slides.slide_type(md("**Exercise 1.1.** Go")) == "slide"
    assert build_slides.slide_type(md("### Detail")) == "subslide"
    assert build_slides.slide_type(md(":::{admonition} What the math says\nx\n:::")) == "subslide"
    assert build_slides.slide_type(md("Some prose.")) == "-"
    assert build_slides.slide_type(code("x = 1", metadata={"tags": ["hide-cell", "solution"]})) == "skip"
    assert build_slides.slide_type(code("setup()", metadata={"tags": ["remove-input"]})) == "skip"
    assert build_slides.slide_type(code("plot()")) == "-"


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = attrs.get("src") if tag in ("script", "img", "iframe") else \
            attrs.get("href") if tag == "link" else None
        if url:
            self.loads.append(url)


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides")
    try:
        return build_slides.build([NOTEBOOKS[-1]], out, fetch=False)[0]
    except FileNotFoundError as exc:
        pytest.fail(str(exc))


def test_deck_builds_and_loads_only_its_own_files(deck):
    html = deck.read_text(encoding="utf-8")
    parser = _Loads()
    parser.feed(html)
    remote = [u for u in parser.loads if urlsplit(u).scheme not in ("", "data")]
    assert not remote, f"the deck loads from other hosts: {remote}"
    missing = [u for u in parser.loads if not u.startswith("data:")
               and not (deck.parent / urlsplit(u).path).is_file()]
    assert not missing, f"the deck loads files that are not there: {missing}"
    headings = sum(1 for c in _read(NOTEBOOKS[-1]).cells
                   if c.cell_type == "markdown" and re.match(r"#{1,2}\s", c.source.lstrip()))
    assert html.count("<section") >= headings >= 2
    assert sync_repository.MARKER not in html  # the setup cell is not presented
    # each figure keeps its alt text (nbconvert writes a placeholder where a figure has none)
    no_alt = sum(1 for c in build_slides.slide_notebook(_read(NOTEBOOKS[-1])).cells
                 if c.cell_type == "code" and c.metadata["slideshow"]["slide_type"] != "skip"
                 and not build_slides.image_alt(c) and "remove-output" not in c.metadata.get("tags", [])
                 for o in c.outputs if "image/png" in o.get("data", {}))
    assert html.count("No description has been provided for this image") == no_alt
    text = re.sub(r"data:[^\"']+", "", html).lower()  # base64 images may spell anything
    assert "mermaid" not in text and "cdn" not in text


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no chromium at {CHROMIUM}")
def test_deck_opens_in_a_browser_with_no_request_to_another_host(deck):
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.book.test_browser import CHROMIUM_ARGS
    outside, errors = [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith(("file:", "data:", "blob:"))
                          else (outside.append(route.request.url), route.abort()))
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(deck.as_uri())
            page.wait_for_selector(".reveal.ready", timeout=20000)
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(500)
            slides = page.evaluate("document.querySelectorAll('.slides > section').length")
        finally:
            browser.close()
    assert not outside and not errors, (outside, errors)
    assert slides >= 2


# -- handout ----------------------------------------------------------------------------------

def test_handout_numbers_come_from_the_library():
    import microfut_lib as mf
    html = build_handout.render()
    micro = mf.PRESETS["BTC-MICRO"]
    liq = mf.liquidation_price(70_000, 1, micro, "long", leverage=10, mmr=0.004)
    assert build_handout.usd(liq) == "$63,253.01" and "$63,253.01" in html
    assert "$35.00" in html  # 20x margin on one micro contract at $70,000
    # standard / micro / nano contracts a $1,000 account may hold at 1 % / 2 % risk, 2 % stop
    assert build_handout.sizing_rows() == [("BTC-STANDARD", [0, 0]), ("BTC-MICRO", [0, 1]),
                                           ("BTC-NANO", [7, 14])]
    early = [lev for lev, _, before_stop in build_handout.liquidation_rows() if before_stop]
    assert early == [50, 100]


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no chromium at {CHROMIUM}")
def test_handout_prints_on_one_page(tmp_path):
    page = tmp_path / "handout.html"
    page.write_text(build_handout.render(), encoding="utf-8")
    pdf = tmp_path / "handout.pdf"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120)
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())
    assert len(pages) == 1


# -- JupyterLite copies -----------------------------------------------------------------------

def test_lite_copy_joins_stored_text_and_drops_live_widgets():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", text=["a\n", "b\n"]),
                    nbformat.v4.new_output("display_data", data={
                        "application/vnd.jupyter.widget-view+json": {"model_id": "m"},
                        "text/plain": ["VBox()"]}),
                    nbformat.v4.new_output("execute_result", data={"text/plain": ["1\n", "2"]},
                                           execution_count=1)]
    nb = build_lite.lite_notebook(nbformat.v4.new_notebook(cells=[cell]))
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["stream", "execute_result"]
    assert outputs[0]["text"] == "a\nb\n" and outputs[1]["data"]["text/plain"] == "1\n2"


def test_lite_config_disables_the_pypi_fallback():
    kernel = build_lite.lite_config(None)["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel == {"disablePyPIFallback": True}
    assert build_lite.lite_config("/pyodide/")["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]["pyodideUrl"] == "/pyodide/"


def test_doctests_of_the_workshop_scripts():
    """The scripts live outside the pytest doctest paths (tests, microfut_lib): run theirs here."""
    import doctest
    import importlib

    from scripts import myst_plain
    ext = importlib.import_module("mf_workshop") if "mf_workshop" in sys.modules else None
    if ext is None:
        sys.path.insert(0, str(ROOT / "book" / "_ext"))
        ext = importlib.import_module("mf_workshop")
    results = [doctest.testmod(m) for m in (course_settings, myst_plain, build_handout, ext)]
    assert sum(r.attempted for r in results) >= 6
    assert not any(r.failed for r in results)
