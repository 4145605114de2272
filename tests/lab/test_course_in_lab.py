"""The course as a learner meets it: every notebook opened in JupyterLab in headless chromium
(Debian's, driven by Playwright), Run All, then every slider moved with the keyboard.

For each notebook of ``notebooks/`` (discovered, so new lessons are included), on a temporary
copy so the stored outputs stay as they are:

- every cell runs: no error output and nothing on stderr, no console error in the page, no
  request to another host (the server's kernels also run behind the offline socket guard);
- every slider (``.noUi-handle``) is focused and moved with ArrowRight and ArrowLeft (ArrowLeft
  first at the top of its range): its value changes, and a figure ``<img>`` in the same output
  changes within ``FIGURE_LIMIT_MS`` (a generous functional limit: the speed itself is measured
  by ``benchmarks/bench_lab.py``). The value is read from ``aria-valuetext``, what assistive
  technology announces: noUiSlider rounds ``aria-valuenow`` to one decimal, so a slider with a
  finer step (funding per 8 h: 0.010 -> 0.015 %) moves while ``aria-valuenow`` stays "0.0".

Skipped with a message where ``/usr/bin/chromium`` is missing; in CI (where `.ci/run` installs
it) a missing chromium is an error.
"""
from __future__ import annotations

import os
import signal
import time

import pytest

from .labdriver import (
    CHROMIUM,
    LabServer,
    course_notebooks,
    error_outputs,
    move_slider,
    open_notebook,
    run_all,
    sliders,
)

FIGURE_LIMIT_MS = 5000

if not CHROMIUM.exists() and os.environ.get("CI") == "true":
    pytest.fail(f"CI must run the JupyterLab checks: no chromium at {CHROMIUM} (.ci/run installs "
                "it)", pytrace=False)


def test_server_stops_with_its_kernels(tmp_path):
    """The fixture's server is stopped by its process id, and no kernel outlives it."""
    with LabServer(tmp_path) as server:
        kernel = server.api("POST", "/api/kernels", {"name": "python3"})
        assert server.api("GET", "/api/status")["kernels"] >= 1, kernel
        pid = server.process.pid
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(pid, signal.SIGKILL)
    pytest.fail(f"processes of the JupyterLab server's group {pid} still ran after stop()")


def _exercise_slider(page, slider: dict) -> list[str]:
    """Move one slider right and left (left first at the top); describe what went wrong."""
    keys = ("ArrowLeft", "ArrowRight") if slider["value"] >= slider["max"] else \
        ("ArrowRight", "ArrowLeft")
    name = f"slider {slider['label']!r} (cell {slider['cell']}, value {slider['value']:g})"
    problems = []
    for key in keys:
        moved = move_slider(page, slider["index"], key, timeout_ms=FIGURE_LIMIT_MS)
        if not moved["focused"]:
            problems.append(f"{name}: its handle could not take the keyboard focus")
        elif moved["before"] == moved["after"]:
            problems.append(f"{name}: {key} did not move it (its value stays "
                            f"{moved['before']})")
        elif moved["ms"] is None:
            problems.append(f"{name}: {key} moved it {moved['before']} -> {moved['after']} "
                            f"but no figure changed within {FIGURE_LIMIT_MS} ms (its readout "
                            f"{'changed' if moved['readout_changed'] else 'did not change'})")
    return problems


@pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    f"JupyterLab browser checks skipped: no chromium at {CHROMIUM} (install Debian's `chromium` "
    "package, as .ci/run does, or set MF_CHROMIUM)"))
@pytest.mark.parametrize("notebook", [p.name for p in course_notebooks()])
def test_notebook_runs_and_every_slider_moves(lab_server, chromium, notebook):
    context, page, seen = open_notebook(chromium, lab_server, notebook)
    try:
        run_all(page)
        errors = error_outputs(page)
        found = sliders(page)
        slider_problems = [p for s in found for p in _exercise_slider(page, s)]
    finally:
        context.close()
        lab_server.shutdown_kernels()
    problems = [f"error output after Run All: {e}" for e in errors]
    problems += [f"console error in JupyterLab: {e[:300]}" for e in seen.console]
    problems += [f"request to another host: {url}" for url in seen.external]
    problems += slider_problems
    assert not problems, (f"{notebook} ({len(found)} sliders): {len(problems)} problem(s):\n"
                          + "\n".join(problems))
