"""Serve the explorer on 127.0.0.1 with uvicorn, on a socket bound here so a busy port is a clear error."""

from __future__ import annotations

import socket
import threading
import webbrowser
from typing import TextIO

import uvicorn

from model.errors import UsageError
from model.program import Program

from .app import create_app

HOST = "127.0.0.1"
"""Loopback only: nothing on the network can reach the explorer."""


def listen(port: int) -> socket.socket:
    """A socket on 127.0.0.1:``port`` (0: any free port); a port in use is a usage error."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {HOST}:{port} ({exc.strerror or exc}); choose "
                         "another port with --port") from None
    sock.listen(64)
    return sock


def serve(program: Program, port: int, open_browser: bool, err: TextIO) -> None:
    """Serve until interrupted (Ctrl-C); prints the address, and opens it if asked."""
    sock = listen(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    server = uvicorn.Server(uvicorn.Config(create_app(program), log_level="warning",
                                           lifespan="on"))
    err.write(f"exploring {program.file} at {url} (Ctrl-C to stop)\n")
    err.flush()
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shut down cleanly, then passed Ctrl-C on: the way to stop
        pass
    finally:
        sock.close()
    err.write("stopped\n")
