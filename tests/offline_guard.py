"""A socket guard: any connection, datagram or name lookup to a host other than this machine's
loopback raises :class:`NetworkAccessBlocked` and is recorded in :data:`ATTEMPTS`.

The course promises to run offline (a learner on a plane, CI without network). The guard is
installed for the whole pytest session by the root ``conftest.py`` (library tests and doctests)
and, through an IPython startup file, inside the kernels that run the notebooks
(:func:`write_ipython_startup`). Attempts are recorded as well as refused, so code that catches
the exception and carries on is still caught by the check after each test.

This module uses only the standard library, so its source can be executed in a kernel as is.
"""
from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

__all__ = ["ATTEMPTS", "NetworkAccessBlocked", "install", "uninstall", "is_loopback",
           "write_ipython_startup"]

#: every refused attempt, as "what: where" strings (cleared by whoever checks it)
ATTEMPTS: list[str] = []

_ORIGINAL: dict[str, object] = {}
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class NetworkAccessBlocked(RuntimeError):
    """Raised on an attempt to reach another machine while the guard is installed."""


def is_loopback(host: object) -> bool:
    """True for this machine's loopback: ``localhost``, ``127.0.0.0/8``, ``::1`` (or no host)."""
    if host is None or host == "":
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].lower()
    if name in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _refuse(what: str, where: object) -> None:
    message = (f"network access blocked: {what} {where!r} (the course must run offline; "
               "only loopback is allowed)")
    ATTEMPTS.append(f"{what}: {where!r}")
    raise NetworkAccessBlocked(message)


def _check_address(sock: socket.socket, address: object, what: str) -> None:
    if getattr(socket, "AF_UNIX", None) is not None and sock.family == socket.AF_UNIX:
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not is_loopback(host):
        _refuse(what, address)


def install() -> None:
    """Patch :mod:`socket` so that only loopback can be reached (idempotent)."""
    if _ORIGINAL:
        return
    cls = socket.socket
    _ORIGINAL.update(connect=cls.connect, connect_ex=cls.connect_ex, sendto=cls.sendto,
                     getaddrinfo=socket.getaddrinfo, gethostbyname=socket.gethostbyname,
                     gethostbyname_ex=socket.gethostbyname_ex)

    def connect(self, address):
        _check_address(self, address, "connect to")
        return _ORIGINAL["connect"](self, address)

    def connect_ex(self, address):
        _check_address(self, address, "connect to")
        return _ORIGINAL["connect_ex"](self, address)

    def sendto(self, data, *args):
        _check_address(self, args[-1], "send a datagram to")
        return _ORIGINAL["sendto"](self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not is_loopback(host):
            _refuse("look up", host)
        return _ORIGINAL["getaddrinfo"](host, *args, **kwargs)

    def gethostbyname(host):
        if not is_loopback(host):
            _refuse("look up", host)
        return _ORIGINAL["gethostbyname"](host)

    def gethostbyname_ex(host):
        if not is_loopback(host):
            _refuse("look up", host)
        return _ORIGINAL["gethostbyname_ex"](host)

    cls.connect, cls.connect_ex, cls.sendto = connect, connect_ex, sendto
    socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex


def uninstall() -> None:
    """Undo :func:`install`."""
    if not _ORIGINAL:
        return
    cls = socket.socket
    cls.connect, cls.connect_ex = _ORIGINAL["connect"], _ORIGINAL["connect_ex"]
    cls.sendto = _ORIGINAL["sendto"]
    socket.getaddrinfo = _ORIGINAL["getaddrinfo"]
    socket.gethostbyname = _ORIGINAL["gethostbyname"]
    socket.gethostbyname_ex = _ORIGINAL["gethostbyname_ex"]
    _ORIGINAL.clear()


#: name under which the kernel-side copy of this module is registered in ``sys.modules``
KERNEL_MODULE = "_mf_offline_guard"

_STARTUP = '''\
# Written by tests/offline_guard.py: refuse network access from this kernel (loopback only).
import sys as _sys, types as _types
_guard = _types.ModuleType({name!r})
exec(compile({source!r}, {path!r}, "exec"), _guard.__dict__)
_sys.modules[{name!r}] = _guard
_guard.install()
del _sys, _types, _guard
'''


def write_ipython_startup(ipython_dir: Path) -> Path:
    """Write an IPython profile under ``ipython_dir`` whose startup file installs this guard.

    Point a kernel's ``IPYTHONDIR`` environment variable at ``ipython_dir``; its record of
    attempts is then ``sys.modules["_mf_offline_guard"].ATTEMPTS`` inside the kernel.
    """
    path = Path(__file__).resolve()
    startup = Path(ipython_dir) / "profile_default" / "startup" / "00-offline-guard.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    startup.write_text(_STARTUP.format(name=KERNEL_MODULE, source=path.read_text(),
                                       path=str(path)))
    return startup
