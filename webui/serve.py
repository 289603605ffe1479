"""Serving the app with waitress, in one or more processes sharing one socket.

Searching is CPU work in Python, and the threads of one process share one
interpreter lock: a busy server with one process uses one core. Worker
processes, forked after the listening socket is bound, use them all; the
kernel hands each connection to one of them. A worker that dies is replaced.

The requests waitress refuses itself (a request line or headers too long, a
body too large, a malformed request) are answered by the app's one error
handler, so an API path gets JSON there too and people get the error page.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import socket
import time
import traceback
from collections.abc import Callable

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.task import ErrorTask
from werkzeug.exceptions import InternalServerError, default_exceptions
from werkzeug.test import EnvironBuilder, run_wsgi_app

from webui.errors import REFUSED_BY_SERVER, is_api_path

QUICK_DEATH_SECONDS = 10  # a worker that dies sooner failed to start
MAX_QUICK_DEATHS = 3
OPEN_FILES_WANTED = 65536  # when the hard limit is unlimited


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
    raise_open_files_limit()
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


def raise_open_files_limit() -> int:
    """Raises this process's limit of open files to what the system allows; returns it.

    Each thread's snapshot holds every segment file of its commit open (a dozen
    segments of some twenty files each), so 8 threads pass the soft limit of
    1,024 many systems start a process with, and searches fail with "too many
    open files" although the hard limit allows far more."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    unlimited = resource.RLIM_INFINITY
    if soft == unlimited or (hard != unlimited and soft >= hard):
        return soft
    wanted = hard if hard != unlimited else max(soft, OPEN_FILES_WANTED)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError):  # (a system that will not: the limit stays as it was)
        return soft
    return wanted


def _serve_one(make_app: Callable[[], Flask], sock: socket.socket, threads: int) -> None:
    from waitress import create_server

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl+C
    try:
        # (a stop while the app warms up is a stop too, not an error to print)
        app = make_app()
        server = create_server(
            app, sockets=[sock], threads=threads, ident="statement-search",
            clear_untrusted_proxy_headers=True,
            # poll(), not select(): select() fails ("filedescriptor out of range") on a
            # connection whose descriptor is past 1,023, and kills the worker, when the
            # snapshots' open files have taken the lower ones.
            asyncore_use_poll=True,
            # The app takes no uploads: refuse a large body before spooling it to disk.
            max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
        )
        # With one socket, create_server() returns the one server that accepts on
        # it; waitress reads the class of each connection's channel from it.
        server.channel_class = _Channel
        server.run()
    except KeyboardInterrupt:
        pass


# --- the requests waitress refuses ---------------------------------------------------------------
# Waitress answers these itself, as text/plain, and has no setting to change
# that; its HTTPChannel takes the classes of its parser and of the task that
# answers a refused request as attributes, which these subclasses fill in.

REQUEST_START_BYTES = 1024  # enough of a request line to see where it goes


class _Parser(HTTPRequestParser):
    """Waitress's parser, keeping the first bytes of the request: when the
    request line and headers are too long, it forgets the path."""

    start = b""

    def received(self, data):
        if len(self.start) < REQUEST_START_BYTES:
            self.start += data[:REQUEST_START_BYTES - len(self.start)]
        return super().received(data)

    def parse_header(self, header_plus):
        # A URL typed with its Cyrillic as is (`curl '…/api/search?q=выборы'`)
        # arrives as raw UTF-8, which waitress refuses ("Bad URI"); browsers
        # percent-encode it. Encode it here as a browser would.
        end = header_plus.find(b"\r\n")
        if end > 0 and not header_plus[:end].isascii():
            header_plus = _NON_ASCII.sub(_percent, header_plus[:end]) + header_plus[end:]
        return super().parse_header(header_plus)


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _percent(match: re.Match) -> bytes:
    return b"%%%02X" % match.group()[0]


class _RefusedTask(ErrorTask):
    """Answers a refused request through the app's error handler; waitress's
    own plain-text answer only if the app cannot answer."""

    def execute(self):
        try:
            status, headers, body = self._app_answer()
        except Exception:
            self.channel.logger.exception("the app could not answer a refused request")
            super().execute()
            return
        self.status = status
        self.response_headers.extend(headers)
        self.set_close_on_finish()  # what follows a refused request cannot be trusted
        self.content_length = len(body)
        self.write(body)

    def _app_answer(self) -> tuple[str, list[tuple[str, str]], bytes]:
        error = self.request.error
        refused = default_exceptions.get(error.code, InternalServerError)(
            description=_message(error, self.channel.adj))
        # After an unexpected failure waitress answers with a fresh request;
        # the one that failed is still first in the channel's queue.
        original = self.channel.requests[0] if self.channel.requests else self.request
        path = "/api" if is_api_path(_target_path(getattr(original, "start", b""))) else "/"
        environ = EnvironBuilder(path=path, method="GET",
                                 environ_base={"REMOTE_ADDR": self.channel.addr[0]}).get_environ()
        environ[REFUSED_BY_SERVER] = refused
        app_iter, status, headers = run_wsgi_app(self.channel.server.application, environ)
        try:
            body = b"".join(app_iter)
        finally:
            getattr(app_iter, "close", lambda: None)()
        return status, [(k, v) for k, v in headers if k.lower() != "content-length"], body


class _Channel(HTTPChannel):
    parser_class = _Parser
    error_task_class = _RefusedTask


def _target_path(start: bytes) -> str:
    """The path of a request line (maybe cut short); "" when there is none."""
    line = start.lstrip(b"\r\n").split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    parts = line.split(b" ")
    if len(parts) < 2:
        return ""
    target = parts[1].decode("latin-1")
    if not target.startswith("/"):  # absolute form: http://host/path
        target = "/" + target.split("://", 1)[-1].partition("/")[2]
    return target.split("?", 1)[0]


def _message(error, adj) -> str:
    if error.code == 431:
        return (f"The request's address and headers are too large: the limit is "
                f"{adj.max_request_header_size:,} bytes.")
    if error.code == 413:
        return f"The request's body is too large: the limit is {adj.max_request_body_size:,} bytes."
    if error.code >= 500:
        return InternalServerError.description if error.code == 500 else f"{error.reason}: {error.body}"
    return f"The request is malformed: {error.body.rstrip('.')}."
