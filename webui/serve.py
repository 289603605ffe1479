"""Serving the app with waitress, in one or more processes sharing one socket.

Searching is CPU work in Python, and the threads of one process share one
interpreter lock: a busy server with one process uses one core. Worker
processes, forked after the listening socket is bound, use them all; the
kernel hands each connection to one of them. A worker that dies is replaced.
"""

from __future__ import annotations

import os
import signal
import socket
import time
import traceback
from collections.abc import Callable

from flask import Flask

QUICK_DEATH_SECONDS = 10  # a worker that dies sooner failed to start
MAX_QUICK_DEATHS = 3


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before any worker starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def serve(make_app: Callable[[], Flask], sock: socket.socket, threads: int, workers: int) -> None:
    """Serves until stopped (Ctrl+C or SIGTERM)."""
    if workers <= 1:
        _serve_one(make_app, sock, threads)
        return
    children: dict[int, float] = {}  # pid → when it started
    stopping = False
    quick_deaths = 0

    def start_worker() -> None:
        pid = os.fork()
        if pid == 0:  # the worker: its own app, index and caches
            code = 0
            try:
                _serve_one(make_app, sock, threads)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    for _ in range(workers):
        start_worker()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        started = children.pop(pid, None)
        if stopping or started is None:
            continue
        if time.monotonic() - started < QUICK_DEATH_SECONDS:
            quick_deaths += 1
            if quick_deaths >= MAX_QUICK_DEATHS:  # failing at start: do not respawn forever
                stop(None, None)
                raise SystemExit("the server's worker processes keep failing as they start; "
                                 "see the errors above")
        start_worker()


def _serve_one(make_app: Callable[[], Flask], sock: socket.socket, threads: int) -> None:
    from waitress import serve as waitress_serve

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl+C
    try:
        waitress_serve(make_app(), sockets=[sock], threads=threads, ident="statement-search",
                       clear_untrusted_proxy_headers=True)
    except KeyboardInterrupt:
        pass
