"""The web server under load: `python -m webui` on loopback, concurrent clients.

Clients are threads with keep-alive `http.client` connections asking
`GET /api/search` for the query mix, bounded by a request count and a time
limit. The server's peak memory is read from the kernel: each process's
VmHWM summed (an upper bound: a page its processes share counts once for
each), and the highest sum of their PSS while the clients run (a shared page
divided among them: what the server occupies) and of their own memory.
"""

from __future__ import annotations

import http.client
import json
import queue
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from bench import ROOT
from bench.engines.base import HITS
from bench.engines.ours import SAME_WORK_PARAMS, query_text
from bench.library_load import measure_library_load
from bench.measure import PeakMemory, closed_loop, load_summary, process_tree_peak_rss_mb
from bench.queries import Query
from search.config import WORKERS

REQUEST_TIMEOUT = 120.0


class ServerUnavailable(Exception):
    """The web server could not be started; the message says why."""


def api_path(query: Query) -> str:
    """The API request the UI makes for a query: filters as parameters."""
    params = {"q": query_text(query), "per_page": HITS, **SAME_WORK_PARAMS}
    if query.year_from is not None:
        params["date_from"] = query.date_from.isoformat()
        params["date_to"] = query.date_to.isoformat()
    if query.number is not None:
        params["number"] = query.number
    return "/api/search?" + urlencode(params)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(index: Path, start_timeout: float, workers: int):
    """Starts `python -m webui` on a free loopback port; yields (port, process)."""
    port = _free_port()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "webui", "--index", str(index), "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
    except OSError as err:
        raise ServerUnavailable(f"cannot start python -m webui: {err}")
    try:
        _wait_ready(proc, port, start_timeout)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = (proc.stderr.read() or "").strip().splitlines()
            raise ServerUnavailable("python -m webui exited: " + (err[-1] if err else f"status {proc.returncode}"))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise ServerUnavailable(f"python -m webui did not answer within {timeout:.0f} s")


def _get(conn: http.client.HTTPConnection, path: str) -> bool:
    """One API request; True when it answered 200 with a search result."""
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status == 200 and "total" in json.loads(body)


def load(port: int, paths: list[str], clients: int, max_requests: int, max_seconds: float) -> dict:
    """Runs `clients` threads until `max_requests` are answered or time is up."""

    def make_client():
        conn = [http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)]

        def call(n: int) -> str | None:
            try:
                return None if _get(conn[0], paths[n % len(paths)]) else "bad response"
            except (OSError, http.client.HTTPException, ValueError) as err:
                conn[0].close()
                conn[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                return f"{type(err).__name__}: {err}"

        return call, lambda: conn[0].close()

    run = closed_loop(clients, max_requests, max_seconds, make_client)
    return load_summary(run["latencies"], run["errors"], run["seconds"], clients)


def measure_server(index: Path, queries: tuple[Query, ...], *, clients: int = 8,
                   max_requests: int = 400, max_seconds: float = 120.0,
                   start_timeout: float = 60.0, workers: int = WORKERS.default) -> dict:
    """Latency and throughput of the web server alone and under concurrent
    clients, then of the library under the same load (see bench.library_load).

    Raises ServerUnavailable when the server cannot be started.
    """
    paths = [api_path(q) for q in queries]
    with running_server(index, start_timeout, workers) as (port, proc), PeakMemory(proc.pid) as memory:
        load(port, paths, 1, len(paths), max_seconds)  # warm-up: every query once
        single = load(port, paths, 1, 2 * len(paths), max_seconds)
        concurrent = load(port, paths, clients, max_requests, max_seconds)
        rss = process_tree_peak_rss_mb(proc.pid)
    try:
        library = measure_library_load(index, queries, clients=clients, processes=workers,
                                       max_requests=max_requests, max_seconds=max_seconds)
    except (RuntimeError, OSError, queue.Empty) as err:
        library = {"failed": str(err) or type(err).__name__}
    return {"workers": workers, "single": single, "concurrent": concurrent,
            "library_concurrent": library, "peak_rss_mb": rss,
            **{f"peak_{kind}": round(value, 1) for kind, value in memory.peak.items() if kind != "rss_mb"}}
