"""Memory per learner, for sizing a JupyterHub: each lesson's kernel and the JupyterLab server.

Every course notebook (``notebooks/NN_*.ipynb``, so lessons added later are picked up) runs top
to bottom in its own fresh ipykernel started by nbclient, as a learner's "Run all" would; the
kernel's peak resident memory (``VmHWM`` in ``/proc/<pid>/status``) is read before it shuts down.
The baseline, in the same run, is a bare kernel that ran ``pass``. The server is JupyterLab
started as a hub would (no browser, on 127.0.0.1), measured (``VmRSS``) after it has served the
JupyterLab page and the contents listing.

Per learner: the server plus the heaviest lesson's kernel (one lesson open, the usual case) and the
server plus every lesson's kernel (a learner who leaves every lesson running). The figures are
written to ``deploy/memory.json``, which ``make sync-repo`` turns into the hub configurations.
Goal: one learner with one lesson open fits in 512 MiB.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from benchmarks import record

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MEMORY_JSON = ROOT / "deploy" / "memory.json"
GOAL_MIB = 512.0
ROOMS = (30, 300)


def _status_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no {field} for process {pid}")


def kernel_peak_mib(nb: nbformat.NotebookNode) -> tuple[float, float]:
    """Run ``nb`` in a fresh kernel; return the kernel's peak resident memory in MiB and the
    seconds "Run all" took (kernel start excluded)."""
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    with client.setup_kernel(env=env):
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        return _status_mib(client.km.provisioner.process.pid, "VmHWM"), seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_mib() -> float:
    """Resident memory of a JupyterLab server after serving the page and a contents listing."""
    port = _free_port()
    jupyter = Path(sys.executable).parent / "jupyter"
    with tempfile.TemporaryDirectory() as home:
        proc = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
             "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root", f"--notebook-dir={ROOT}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, HOME=home, JUPYTER_RUNTIME_DIR=home))
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/api/status", timeout=2).read()
                    break
                except OSError:
                    if proc.poll() is not None:
                        raise RuntimeError(f"jupyter lab exited with {proc.returncode}")
                    time.sleep(0.5)
            for path in ("/lab", "/api/contents/notebooks", "/lab/api/settings"):
                urllib.request.urlopen(base + path, timeout=30).read()
            time.sleep(1.0)
            return _status_mib(proc.pid, "VmRSS")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def measure() -> dict:
    bare, _ = kernel_peak_mib(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")]))
    runs = {p.stem: kernel_peak_mib(nbformat.read(p, as_version=4))
            for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}
    lessons = {name: mib for name, (mib, _) in runs.items()}
    server = server_mib()
    heaviest = max(lessons, key=lessons.get)
    one = server + lessons[heaviest]
    every = server + sum(lessons.values())
    return {"bare_kernel_mib": round(bare, 1), "server_mib": round(server, 1),
            "kernel_peak_mib": {k: round(v, 1) for k, v in lessons.items()},
            "run_all_seconds": {k: round(sec, 1) for k, (_, sec) in runs.items()},
            "heaviest_lesson": heaviest,
            "per_learner_one_lesson_mib": round(one, 1),
            "per_learner_all_lessons_mib": round(every, 1),
            "rooms_gib": {str(n): {"one_lesson": round(n * one / 1024, 1),
                                   "all_lessons": round(n * every / 1024, 1)} for n in ROOMS},
            "measured_at": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0]}


def run() -> list[dict]:
    figures = measure()
    MEMORY_JSON.parent.mkdir(parents=True, exist_ok=True)
    MEMORY_JSON.write_text(json.dumps(figures, indent=2) + "\n")
    bare = figures["bare_kernel_mib"]
    records = [record.figure(f"kernel peak, {name}", mib, "MiB", baseline=bare,
                             baseline_name="bare kernel", ratio=mib / bare,
                             goal=f"<= {GOAL_MIB:g} MiB", met=mib <= GOAL_MIB)
               for name, mib in figures["kernel_peak_mib"].items()]
    one = figures["per_learner_one_lesson_mib"]
    records.append(record.figure("per learner (server + heaviest lesson)", one, "MiB",
                                 baseline=bare, baseline_name="bare kernel", ratio=one / bare,
                                 goal=f"<= {GOAL_MIB:g} MiB", met=one <= GOAL_MIB,
                                 server_mib=figures["server_mib"], rooms_gib=figures["rooms_gib"]))
    return records
