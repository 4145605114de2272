"""The Jupyter Server setting of microfut_lib.lab_server: the configuration it writes selects the
connection class, and that class turns TCP_NODELAY on before connecting as the stock one does."""
import importlib
import json
import subprocess
import sys

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from microfut_lib import lab_server


def test_written_config_selects_the_nodelay_connection(tmp_path):
    path = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"ServerApp": {"ip": "127.0.0.1"}, "Other": {"x": 1}}))
    assert lab_server.write_server_config(tmp_path) == path
    config = json.loads(path.read_text())
    assert config["ServerApp"]["ip"] == "127.0.0.1" and config["Other"] == {"x": 1}  # kept
    name = config["ServerApp"]["kernel_websocket_connection_class"]
    module, _, cls = name.rpartition(".")
    connection = getattr(importlib.import_module(module), cls)
    assert issubclass(connection, ZMQChannelsWebsocketConnection)
    assert connection is lab_server.NoDelayConnection


def test_connect_sets_nodelay_then_connects_as_the_stock_connection(monkeypatch):
    calls = []

    class Handler:
        def set_nodelay(self, value):
            calls.append(("nodelay", value))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect",
                        lambda self: calls.append(("connect", None)) or "connected")
    connection = lab_server.NoDelayConnection.__new__(lab_server.NoDelayConnection)
    monkeypatch.setattr(lab_server.NoDelayConnection, "websocket_handler", Handler(), raising=False)
    assert connection.connect() == "connected"
    assert calls == [("nodelay", True), ("connect", None)]


def test_importing_the_package_does_not_load_jupyter_server():
    code = "import sys, microfut_lib; print('jupyter_server' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
