"""Drive the course in JupyterLab in headless Chromium, as a learner would (tests and benchmark).

- :class:`LabServer` starts JupyterLab from this environment on 127.0.0.1 (a free port, a random
  token, no browser, no news or update checks, ``--allow-root`` when root, ``MPLBACKEND`` unset,
  its kernels behind the offline guard), waits for ``/api/status`` and stops it by its process
  id (its process group: the kernels too), also when the caller fails.
- :func:`launch_chromium` starts Debian's chromium through Playwright (no browser download).
- :func:`open_notebook`, :func:`run_all`, :func:`sliders` and :func:`move_slider` open a
  notebook, run all its cells, find every slider and move it with the keyboard, timing from the
  key press to the first change of a figure ``<img>`` in the same output (``MutationObserver``
  started before the key press).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests import offline_guard

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path(os.environ.get("MF_CHROMIUM", "/usr/bin/chromium"))
# Flags this sandboxed, offline-by-policy machine needs (same as tests/book/test_browser.py).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SERVER_START_S = 90
RUN_ALL_S = 240


def course_notebooks() -> list[Path]:
    """Every notebook of the course (``notebooks/*.ipynb``), in order."""
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb") if not p.name.startswith("."))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """JupyterLab serving ``root_dir`` on 127.0.0.1; use as a context manager.

    Its home, settings, workspaces and IPython profile live in a temporary directory, so the
    machine's own Jupyter configuration does not leak in and nothing is written outside it.
    """

    def __init__(self, root_dir: Path) -> None:
        self.root_dir = Path(root_dir)
        self.port = _free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self._state = Path(tempfile.mkdtemp(prefix="mf-lab-state-"))
        self.log_path = self._state / "server.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    def __enter__(self) -> "LabServer":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        ipython_dir = self._state / "ipython"
        offline_guard.write_ipython_startup(ipython_dir)
        env.update(IPYTHONDIR=str(ipython_dir), JUPYTER_CONFIG_DIR=str(self._state / "config"),
                   JUPYTER_RUNTIME_DIR=str(self._state / "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(self._state / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self._state / "workspaces"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        return env

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root_dir}",
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.expose_app_in_browser=True",
               f"--LabApp.user_settings_dir={self._state / 'settings'}",
               f"--LabApp.workspaces_dir={self._state / 'workspaces'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(self.command(), cwd=self.root_dir, env=self._env(),
                                        stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"JupyterLab did not answer /api/status within {SERVER_START_S} s:\n"
                           f"{self.log_tail()}")

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 5.0):
        """Call the server's REST API with the token; return the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", method=method, data=data,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    def shutdown_kernels(self) -> None:
        """Stop every session's kernel through the REST API (best effort)."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except OSError:
            pass

    def stop(self) -> None:
        """Stop the server by its process id (and its process group: the kernels)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            self.shutdown_kernels()
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        if process is not None:
            try:  # anything left in its group (a kernel that outlived it)
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self._state, ignore_errors=True)


def copy_notebooks(dest: Path, notebooks: list[Path] | None = None) -> list[Path]:
    """Copy the notebooks (and anything beside them they may read) into ``dest``."""
    shutil.copytree(NOTEBOOKS, dest, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build", "__pycache__"))
    return [dest / p.name for p in (notebooks or course_notebooks())]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                      headless=True)


class PageProblems:
    """Console errors, uncaught exceptions and requests to other hosts seen on a page."""

    def __init__(self, context, page, host: str) -> None:
        self.console: list[str] = []
        self.external: list[str] = []

        def on_route(route):
            url = route.request.url
            if url.startswith(("data:", "blob:")) or url.split("/")[2:3] == [host]:
                route.continue_()
            else:
                self.external.append(url)
                route.abort()

        context.route("**/*", on_route)
        page.on("console", lambda msg: msg.type == "error" and self.console.append(
            f"{msg.text} @ {msg.location.get('url', '')}"))
        page.on("pageerror", lambda exc: self.console.append(f"uncaught: {exc}"))


def open_notebook(browser, server: LabServer, name: str, *, width: int = 1400):
    """Open ``name`` (relative to the server's root) in a new page, once its kernel is idle;
    return ``(context, page, problems)``."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    problems = PageProblems(context, page, f"127.0.0.1:{server.port}")
    # A workspace of its own, reset: JupyterLab would otherwise reopen (and start kernels for)
    # every notebook opened before in the session.
    workspace = f"mf-{secrets.token_hex(6)}"
    page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{name}?reset&token={server.token}",
              wait_until="load")
    page.wait_for_function(
        """(name) => {
            const app = window.jupyterapp;
            if (!app || !app.shell) return false;
            const w = app.shell.currentWidget;
            return !!(w && w.context && w.context.path.endsWith(name) && w.content
                      && w.content.widgets && w.content.widgets.length > 0
                      && w.sessionContext && w.sessionContext.session
                      && w.sessionContext.session.kernel
                      && w.sessionContext.session.kernel.connectionStatus === 'connected'
                      && w.sessionContext.session.kernel.status === 'idle');
        }""", arg=name, timeout=120_000)
    return context, page, problems


def run_all(page, timeout_s: float = RUN_ALL_S) -> None:
    """Run every cell (the Run All command) and wait until the kernel is idle with no cell
    queued, and either every code cell has run or one ended in an error (which stops Run All)."""
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const kernel = w.sessionContext.session.kernel;
            if (kernel.status !== 'idle') return false;
            const code = w.content.widgets.filter(c => c.model.type === 'code');
            const queued = c => c.hasClass('jp-mod-running')
                || (c.promptNode && c.promptNode.textContent.includes('*'));
            if (code.some(queued)) return false;
            const failed = c => c.model.outputs.toJSON().some(o => o.output_type === 'error');
            return code.every(c => c.model.executionCount !== null) || code.some(failed);
        }""", timeout=timeout_s * 1000, polling=250)


def error_outputs(page) -> list[str]:
    """Error and stderr outputs of every code cell: ``["cell N: text", ...]``."""
    return page.evaluate(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const found = [];
            w.content.widgets.forEach((cell, i) => {
                if (cell.model.type !== 'code') return;
                for (const out of cell.model.outputs.toJSON()) {
                    if (out.output_type === 'error') {
                        found.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
                    } else if (out.output_type === 'stream' && out.name === 'stderr') {
                        const text = Array.isArray(out.text) ? out.text.join('') : out.text;
                        found.push(`cell ${i} (stderr): ${text.slice(0, 500)}`);
                    }
                }
            });
            return found;
        }""")


def sliders(page) -> list[dict]:
    """Every slider handle in the open notebook: its index, label, cell and value range."""
    return page.evaluate(
        """() => {
            const nb = window.jupyterapp.shell.currentWidget;
            const cells = nb.content.widgets;
            return Array.from(nb.node.querySelectorAll('.noUi-handle')).map((h, i) => {
                const widget = h.closest('.widget-slider, .jupyter-widgets');
                const label = widget && widget.querySelector('.widget-label');
                const cellNode = h.closest('.jp-Cell');
                return {index: i, label: label ? label.textContent.trim() : `slider ${i}`,
                        cell: cells.findIndex(c => c.node === cellNode),
                        min: parseFloat(h.getAttribute('aria-valuemin')),
                        max: parseFloat(h.getAttribute('aria-valuemax')),
                        value: parseFloat(h.getAttribute('aria-valuetext')
                                          || h.getAttribute('aria-valuenow'))};
            });
        }""")


# Arms a MutationObserver on the output area of slider `index` and focuses its handle; the
# real key press that follows (Playwright's keyboard) starts the clock in a capture-phase keydown
# listener. window.__mfMove resolves with {before, after, ms}: ms is the time from the keydown to
# the first change of a figure <img> (a new src, or a new <img>) in that output area, or null.
_ARM_JS = """
([index, timeoutMs]) => {
    const nb = window.jupyterapp.shell.currentWidget;
    const handle = nb.node.querySelectorAll('.noUi-handle')[index];
    const area = handle.closest('.jp-OutputArea') || handle.closest('.jp-Cell');
    const images = () => Array.from(area.querySelectorAll('img'));
    const srcOf = new Map(images().map(img => [img, img.src]));
    const htmlText = () => Array.from(area.querySelectorAll('.widget-html-content'))
        .map(e => e.textContent).join(' | ');
    const htmlBefore = htmlText();
    handle.scrollIntoView({block: 'center'});
    handle.focus();
    // aria-valuenow is rounded to one decimal by noUiSlider (0.010 and 0.015 both read "0.0");
    // aria-valuetext carries the value itself.
    const valueOf = () => handle.getAttribute('aria-valuetext')
        || handle.getAttribute('aria-valuenow');
    const before = valueOf(), nowBefore = handle.getAttribute('aria-valuenow');
    let t0 = null, resolveChange;
    const changed = new Promise(r => { resolveChange = r; });
    const observer = new MutationObserver(() => {
        if (t0 === null) return;
        for (const img of images()) {
            if (srcOf.has(img) ? srcOf.get(img) !== img.src : !!img.src) {
                resolveChange(performance.now() - t0);
                return;
            }
        }
    });
    observer.observe(area, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['src']});
    const onKey = () => { if (t0 === null) t0 = performance.now(); };
    window.addEventListener('keydown', onKey, {capture: true});
    window.__mfMove = (async () => {
        const started = performance.now();
        while (t0 === null && performance.now() - started < timeoutMs) {
            await new Promise(r => setTimeout(r, 5));
        }
        const ms = await Promise.race([changed, new Promise(r => setTimeout(() => r(null),
                                                                          timeoutMs))]);
        observer.disconnect();
        window.removeEventListener('keydown', onKey, {capture: true});
        return {before, after: valueOf(), ms, focused: document.activeElement === handle,
                readout_changed: htmlText() !== htmlBefore,
                now_before: nowBefore, now_after: handle.getAttribute('aria-valuenow')};
    })();
    return before;
}
"""


def move_slider(page, index: int, key: str, timeout_ms: float = 5000) -> dict:
    """Focus slider ``index`` and press ``key`` (``ArrowRight``/``ArrowLeft``) on the keyboard;
    return ``{before, after, ms, focused, readout_changed, now_before, now_after}``: the value
    (``aria-valuetext``) before and after, the time to the new figure (None when no figure
    changed within ``timeout_ms``), whether the text of the HTML widgets (the readout) in the
    same output changed, and ``aria-valuenow`` before and after."""
    page.evaluate(_ARM_JS, [index, timeout_ms])
    page.keyboard.press(key)
    return page.evaluate("window.__mfMove")
