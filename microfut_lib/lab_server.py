"""A Jupyter Server setting that lets the course's sliders answer sooner in JupyterLab.

Jupyter Server writes a kernel's messages to the browser over a websocket with Nagle's algorithm
on (no ``TCP_NODELAY``). After each slider move the kernel first sends a small "busy" status;
Nagle's algorithm then holds the next writes (the slider's echo and the new figure) until the
browser acknowledges that status, and the browser delays its acknowledgement (up to 40 ms on
Linux). Measured on the course's 44 sliders in JupyterLab 4.6 in headless chromium
(``benchmarks/bench_lab.py``, same machine, only this setting changed): key press to new figure
48.7 ms median without it, 27.7 ms with it.

:class:`NoDelayConnection` is the stock kernel websocket connection with ``TCP_NODELAY`` set.
``python -m microfut_lib.lab_server`` writes the server configuration that selects it into the
running environment (``<sys.prefix>/etc/jupyter/jupyter_server_config.json``), which
``make`` does for ``.venv``, ``binder/postBuild`` for the Binder and hub image and the TLJH script
for a hub's user environment. Only the Jupyter server imports this module (it needs
jupyter_server); ``import microfut_lib`` does not.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["NoDelayConnection", "SERVER_CONFIG", "write_server_config"]

#: The setting, as a Jupyter Server configuration.
SERVER_CONFIG = {"ServerApp": {
    "kernel_websocket_connection_class": "microfut_lib.lab_server.NoDelayConnection"}}


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """The kernel websocket connection, with ``TCP_NODELAY`` on the browser's socket."""

    def connect(self):
        """Turn ``TCP_NODELAY`` on, then connect as the stock connection does."""
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def write_server_config(prefix: str | Path = sys.prefix) -> Path:
    """Merge :data:`SERVER_CONFIG` into the environment's ``etc/jupyter/jupyter_server_config.json``
    at ``prefix`` (other settings in that file are kept); return the file written.

    The ``jupyter_server_config.d`` folder would not do: Jupyter Server reads only the list of
    enabled extensions from it.
    """
    path = Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    config = json.loads(path.read_text()) if path.exists() else {}
    config.setdefault("ServerApp", {}).update(SERVER_CONFIG["ServerApp"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n")
    return path


if __name__ == "__main__":
    print(f"wrote {write_server_config()}")
