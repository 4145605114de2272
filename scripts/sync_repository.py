"""Write everything that needs the course's address from the one setting (``repository.url``).

* the first code cell of every notebook (the setup cell): installs ``microfut_lib`` where it is
  missing, from the Lite site's own wheel in JupyterLite and from the repository elsewhere (Colab);
  Binder, JupyterHub images and ``make lab`` already have it;
* the JupyterHub example configuration under ``deploy/`` (repository, branch, folder and the
  memory figures measured by ``python -m benchmarks memory`` into ``deploy/memory.json``).

Idempotent: running it twice changes nothing the second time. A notebook whose first code cell is
not a setup cell (it does not install ``microfut_lib``) gets one inserted before it.

Usage: python -m scripts.sync_repository [--check]   (``make sync-repo``; --check only reports)
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import nbformat

from scripts import course_settings as settings

MARKER = "# Setup: the course library"
DEPLOY = settings.ROOT / "deploy"
MEMORY = DEPLOY / "memory.json"


def setup_cell_source() -> str:
    """The setup cell's code, with the repository address from ``_config.yml``."""
    return "\n".join([
        f"{MARKER} (written by scripts/sync_repository.py from _config.yml; edit there)",
        "import sys",
        "try:",
        "    import microfut_lib  # make lab, Binder and JupyterHub images already have it",
        "except ImportError:",
        '    if sys.platform == "emscripten":  # JupyterLite: the wheel shipped with the site',
        "        %pip install -q microfut_lib",
        "    else:  # Colab or any other Jupyter: install from the course repository",
        f'        %pip install -q "microfut_lib @ git+{settings.repository_url()}'
        f'@{settings.repository_branch()}"',
    ])


def is_setup_cell(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and (
        MARKER in cell.source or ("%pip install" in cell.source and "microfut_lib" in cell.source))


def sync_notebook(nb: nbformat.NotebookNode) -> bool:
    """Rewrite (or insert) the setup cell; return whether the notebook changed."""
    source = setup_cell_source()
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    if code and is_setup_cell(nb.cells[code[0]]):
        cell = nb.cells[code[0]]
        if cell.source == source:
            return False
        cell.source = source
        cell.outputs = []
        return True
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["remove-input"]})
    cell.pop("id", None)
    if nb.nbformat_minor >= 5:
        cell["id"] = "setup-cell"
    nb.cells.insert(code[0] if code else len(nb.cells), cell)
    return True


def memory_figures() -> dict:
    """Per-learner memory measured by benchmarks/bench_memory.py (committed in deploy/)."""
    return json.loads(MEMORY.read_text(encoding="utf-8"))


def _mib(value: float) -> str:
    return f"{int(math.ceil(value / 64.0) * 64)}M"


def z2jh_config() -> str:
    mem = memory_figures()
    guarantee = mem["per_learner_one_lesson_mib"]
    limit = mem["per_learner_all_lessons_mib"]
    url, branch, folder = (settings.repository_url(), settings.repository_branch(),
                           settings.repository_folder())
    return f"""\
# Zero to JupyterHub (Helm chart, appVersion 5.x): the Micro-Futures Lab for a large room.
# Written by `make sync-repo` (scripts/sync_repository.py) from _config.yml and deploy/memory.json;
# edit those, not this file. Install:
#   helm upgrade --install jhub jupyterhub/jupyterhub --namespace jhub --create-namespace \\
#        --values deploy/z2jh/config.yaml
singleuser:
  image:
    # The course image: build it from the repository with repo2docker (binder/ folder), e.g.
    #   repo2docker --no-run --image-name REGISTRY/micro-futures-lab:TAG {url}
    name: REGISTRY/micro-futures-lab
    tag: TAG
  defaultUrl: /lab/tree/{folder}/notebooks/00_welcome.ipynb
  lifecycleHooks:
    postStart:
      exec:
        # clone on first start, merge upstream changes on every start (learners' edits are kept;
        # a notebook edited on both sides keeps the learner's version)
        command: ["gitpuller", "{url}", "{branch}", "{folder}"]
  memory:
    # measured: JupyterLab server + the heaviest lesson's kernel = {mem['per_learner_one_lesson_mib']:.0f} MiB,
    # every lesson open at once = {mem['per_learner_all_lessons_mib']:.0f} MiB (benchmarks/bench_memory.py)
    guarantee: {_mib(guarantee)}
    limit: {_mib(limit)}
  cpu:
    guarantee: 0.05
    limit: 1
cull:
  # stop servers idle for an hour (a workshop break is shorter)
  timeout: 3600
scheduling:
  userScheduler:
    enabled: true
prePuller:
  continuous:
    enabled: true
"""


def tljh_script() -> str:
    url, branch = settings.repository_url(), settings.repository_branch()
    mem = memory_figures()
    return f"""\
#!/usr/bin/env bash
# The Littlest JupyterHub (one server, a few dozen learners): install the course into the hub's
# shared user environment and set a per-learner memory limit. Run as root on the TLJH server after
# TLJH itself is installed (https://tljh.jupyter.org). Written by `make sync-repo` from
# _config.yml and deploy/memory.json; edit those, not this file.
set -euo pipefail
# the runtime pins and the library, without re-resolving the dependencies
curl -fsSL "{url}/raw/{branch}/binder/requirements.txt" -o /tmp/mfl-requirements.txt
sudo -E /opt/tljh/user/bin/pip install -r /tmp/mfl-requirements.txt nbgitpuller==1.3.0
sudo -E /opt/tljh/user/bin/pip install --no-deps "microfut_lib @ git+{url}@{branch}"
# the server setting that lets the sliders answer sooner (TCP_NODELAY on the kernel websocket)
sudo -E /opt/tljh/user/bin/python -m microfut_lib.lab_server
# memory per learner: measured {mem['per_learner_one_lesson_mib']:.0f} MiB with one lesson open,
# {mem['per_learner_all_lessons_mib']:.0f} MiB with every lesson open (benchmarks/bench_memory.py)
sudo tljh-config set limits.memory {_mib(mem['per_learner_all_lessons_mib'])}
sudo tljh-config set user_environment.default_app jupyterlab
sudo tljh-config reload
# the link to send learners (the hub clones the course, then opens the first lesson):
echo "{settings.nbgitpuller_link('https://YOUR-HUB')}"
"""


def generated_files() -> dict[Path, str]:
    if not MEMORY.exists():
        return {}
    return {DEPLOY / "z2jh" / "config.yaml": z2jh_config(),
            DEPLOY / "tljh" / "install-course.sh": tljh_script()}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in settings.notebook_paths():
        nb = nbformat.read(path, as_version=4)
        if sync_notebook(nb):
            stale.append(path)
            if not check:
                nbformat.write(nb, path)
    for path, text in generated_files().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                if path.suffix == ".sh":
                    path.chmod(0o755)
    verb = "out of date" if check else "rewritten"
    for path in stale:
        print(f"{verb}: {path.relative_to(settings.ROOT)}")
    if not stale:
        print("everything already follows _config.yml")
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
