"""Offline and deterministic: every notebook runs without the network, and twice gives the same.

Each notebook of ``notebooks/`` (discovered, so new lessons are included) is executed twice,
top to bottom in a fresh kernel (nbclient), on a temporary copy, with the offline socket guard
(``tests/offline_guard.py``) installed in the kernel by an IPython startup file. A test fails if

- a cell raises (a refused connection raises ``NetworkAccessBlocked`` in the cell), or the guard
  recorded an attempt that the notebook caught and ignored;
- the two runs differ in any text output: stream text, errors, and the ``text/plain``,
  ``text/html``, ``text/markdown`` and ``text/latex`` of results and displays, after normalising
  what is new in every kernel by design (widget model ids, memory addresses).

The library's own tests and doctests run behind the same guard (the root ``conftest.py``).
"""
from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests import offline_guard

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb"))
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_MARK = "MF-OFFLINE-ATTEMPTS:"
_PROBE = (f"import json, sys\nprint({_MARK!r} + "
          f"json.dumps(sys.modules[{offline_guard.KERNEL_MODULE!r}].ATTEMPTS))")
_NORMALISE = [
    (re.compile(r"\b[0-9a-f]{32}\b"), "<model-id>"),  # ipywidgets model ids (uuid4 hex)
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\b0x[0-9a-fA-F]{6,16}\b"), "0x<address>"),
]


@pytest.fixture
def guarded_kernels(tmp_path, monkeypatch):
    """Kernels started from here install the offline guard and see no MPLBACKEND."""
    offline_guard.write_ipython_startup(tmp_path / "ipython")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    workdir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", workdir,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
    return workdir


def _execute(nb: nbformat.NotebookNode, workdir: Path, name: str) -> list[str]:
    """Run ``nb`` in a fresh kernel with the probe cell appended; return the guard's record."""
    nb.cells.append(nbformat.v4.new_code_cell(_PROBE))
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(workdir)}}).execute()
    except CellExecutionError as exc:
        pytest.fail(f"{name}: a cell failed in a fresh offline kernel:\n{exc}", pytrace=False)
    probe = nb.cells.pop()
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    assert _MARK in text, f"{name}: the offline guard was not installed in the kernel: {text!r}"
    return json.loads(text.split(_MARK, 1)[1])


def _normalise(text: str) -> str:
    for pattern, replacement in _NORMALISE:
        text = pattern.sub(replacement, text)
    return text


def text_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """One block per output of every code cell, text only and normalised (a run of stream
    outputs is one block, as a notebook shows it)."""
    lines = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        stream = None  # consecutive stream outputs are one text (how they split is timing)
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "stream" and stream == output["name"]:
                lines[-1] += _normalise(output["text"])
                continue
            stream = output["name"] if kind == "stream" else None
            if kind == "stream":
                lines.append(f"[cell {index}] {output['name']}: {_normalise(output['text'])}")
            elif kind == "error":
                lines.append(f"[cell {index}] error: {output['ename']}: {output['evalue']}")
            else:
                data = output.get("data", {})
                for mime in TEXT_MIMES:
                    if mime in data:
                        value = data[mime]
                        value = "".join(value) if isinstance(value, list) else value
                        lines.append(f"[cell {index}] {kind} {mime}: {_normalise(value)}")
                if WIDGET_MIME in data:
                    lines.append(f"[cell {index}] {kind} {WIDGET_MIME}")
    return lines


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_offline_and_twice_the_same(guarded_kernels, path):
    runs = []
    for _ in range(2):
        nb = nbformat.read(guarded_kernels / path.name, as_version=4)
        attempts = _execute(nb, guarded_kernels, path.name)
        assert not attempts, f"{path.name} tried to reach the network: {attempts}"
        runs.append(text_outputs(nb))
    first, second = runs
    assert first, f"{path.name}: no text output at all (was it executed?)"
    diff = "\n".join(difflib.unified_diff(first, second, "first run", "second run", lineterm="",
                                          n=1))
    assert first == second, f"{path.name}: two runs in fresh kernels differ:\n{diff[:4000]}"


def test_the_guard_refuses_other_hosts_and_allows_loopback():
    import socket

    with pytest.raises(offline_guard.NetworkAccessBlocked, match="192.0.2.1"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(offline_guard.NetworkAccessBlocked, match="example.org"):
        socket.getaddrinfo("example.org", 443)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with udp, pytest.raises(offline_guard.NetworkAccessBlocked):
        udp.sendto(b"x", ("198.51.100.7", 53))
    assert len(offline_guard.ATTEMPTS) == 3, offline_guard.ATTEMPTS
    offline_guard.ATTEMPTS.clear()  # expected here; the autouse check must not see them
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        socket.create_connection(("localhost", port), timeout=1).close()
    assert not offline_guard.ATTEMPTS


def test_the_guard_catches_a_notebook_that_reaches_out(guarded_kernels):
    """A notebook that fetches a URL fails; one that hides the failure is still caught."""
    loud = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import urllib.request\nurllib.request.urlopen('http://example.org/', timeout=2)")])
    with pytest.raises(pytest.fail.Exception, match="NetworkAccessBlocked"):
        _execute(loud, guarded_kernels, "loud")
    quiet = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import socket\ntry:\n    socket.create_connection(('203.0.113.9', 443), timeout=2)\n"
        "except Exception:\n    pass")])
    attempts = _execute(quiet, guarded_kernels, "quiet")
    assert attempts and "203.0.113.9" in attempts[0], attempts


def test_text_outputs_tell_runs_apart():
    """The comparison sees a changed number but not a new widget model id or address."""
    def nb(text: str, model_id: str) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell("x", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text=text),
            nbformat.v4.new_output("display_data", data={
                "text/plain": f"Explorer(...) at 0x7f{model_id[:10]}",
                WIDGET_MIME: {"model_id": model_id, "version_major": 2}})])
        return nbformat.v4.new_notebook(cells=[cell])

    a, b = "1" * 32, "2" * 32
    assert text_outputs(nb("P = 0.4142\n", a)) == text_outputs(nb("P = 0.4142\n", b))
    split = nb("P = ", a)
    split.cells[0].outputs.insert(1, nbformat.v4.new_output("stream", name="stdout",
                                                            text="0.4142\n"))
    assert text_outputs(split) == text_outputs(nb("P = 0.4142\n", a))
    assert text_outputs(nb("P = 0.4142\n", a)) != text_outputs(nb("P = 0.4143\n", a))
