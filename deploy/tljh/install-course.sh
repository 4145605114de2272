#!/usr/bin/env bash
# The Littlest JupyterHub (one server, a few dozen learners): install the course into the hub's
# shared user environment and set a per-learner memory limit. Run as root on the TLJH server after
# TLJH itself is installed (https://tljh.jupyter.org). Written by `make sync-repo` from
# _config.yml and deploy/memory.json; edit those, not this file.
set -euo pipefail
# the runtime pins and the library, without re-resolving the dependencies
curl -fsSL "https://github.com/micro-futures-lab/micro-futures-lab/raw/main/binder/requirements.txt" -o /tmp/mfl-requirements.txt
sudo -E /opt/tljh/user/bin/pip install -r /tmp/mfl-requirements.txt nbgitpuller==1.3.0
sudo -E /opt/tljh/user/bin/pip install --no-deps "microfut_lib @ git+https://github.com/micro-futures-lab/micro-futures-lab@main"
# the server setting that lets the sliders answer sooner (TCP_NODELAY on the kernel websocket)
sudo -E /opt/tljh/user/bin/python -m microfut_lib.lab_server
# memory per learner: measured 319 MiB with one lesson open,
# 1191 MiB with every lesson open (benchmarks/bench_memory.py)
sudo tljh-config set limits.memory 1216M
sudo tljh-config set user_environment.default_app jupyterlab
sudo tljh-config reload
# the link to send learners (the hub clones the course, then opens the first lesson):
echo "https://YOUR-HUB/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fmicro-futures-lab%2Fmicro-futures-lab&urlpath=lab%2Ftree%2Fmicro-futures-lab%2Fnotebooks%2F00_welcome.ipynb&branch=main"
