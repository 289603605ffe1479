"""`python -m webui` itself: worker processes, replacing a dead one, stopping cleanly."""

import json
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.fixtures_web import free_port, server_env

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(c) for c in text)
    return found


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def get_total(url: str) -> int:
    with urllib.request.urlopen(url + "/api/search?q=resolution&per_page=1", timeout=10) as r:
        return json.loads(r.read())["total"]


def test_workers_are_replaced_and_all_stop_together(index_dir, tmp_path):
    port = free_port()
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "webui", "--index", str(index_dir), "--port", str(port), "--workers", "2"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=server_env(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: len(children(proc.pid)) == 2)
        assert wait_for(lambda: _answers(url))
        total = get_total(url)
        first = children(proc.pid)
        victim = sorted(first)[0]
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: len(children(proc.pid)) == 2 and victim not in children(proc.pid))
        assert wait_for(lambda: _answers(url))
        assert get_total(url) == total
        workers = children(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()
    said = (tmp_path / "server.log").read_text()
    assert proc.returncode == 0, said
    assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)
    # Three workers started (one replaced): the log says what a person needs, once.
    assert said.count("Searching ") == 1 and "dictionar" not in said.lower(), said


def _answers(url: str) -> bool:
    try:
        get_total(url)
        return True
    except OSError:
        return False


def test_port_in_use_is_a_clear_error(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "webui", "--index", str(tmp_path), "--port", str(port)],
            capture_output=True, text=True, timeout=30, cwd=ROOT, env=server_env(),
        )
    assert result.returncode == 1
    assert "cannot listen" in result.stderr and f"--port {port + 1} (make run PORT={port + 1})" in result.stderr


MANY_FILES = 1100  # past select()'s 1,024 descriptors

# A server process that already holds MANY_FILES open files (as a worker does
# whose threads' snapshots hold a large index's segment files), serving one
# worker process with two threads.
_CROWDED_SERVER = """
import os, sys
from webui import create_app
from webui.serve import listen, raise_open_files_limit, serve
if raise_open_files_limit() < {many} + 100:
    sys.exit(3)
sock = listen("127.0.0.1", {port})
held = [os.open(os.devnull, os.O_RDONLY) for _ in range({many})]
print("holding", len(held), "files", flush=True)
serve(lambda: create_app({{"INDEX_DIR": {index!r}}}), sock, threads=2, workers=1)
"""


def test_a_worker_holding_more_than_1024_files_still_answers(index_dir, tmp_path):
    port = free_port()
    log = open(tmp_path / "server.log", "wb")
    script = _CROWDED_SERVER.format(many=MANY_FILES, port=port, index=str(index_dir))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=log, stderr=subprocess.STDOUT,
                            cwd=ROOT, env=server_env())
    url = f"http://127.0.0.1:{port}"
    try:
        answered = wait_for(lambda: proc.poll() is not None or _answers(url), timeout=60)
        if proc.returncode == 3:
            pytest.skip(f"this system allows fewer than {MANY_FILES + 100} open files")
        said = (tmp_path / "server.log").read_text()
        assert answered and proc.poll() is None, said
        totals = {get_total(url) for _ in range(5)}
        assert len(totals) == 1 and totals.pop() > 0
        assert proc.poll() is None, (tmp_path / "server.log").read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()


def test_the_server_raises_its_open_files_limit_to_what_the_system_allows(index_dir, tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    low = 256 if hard == resource.RLIM_INFINITY else min(256, hard // 2)  # (below the hard limit: something to raise)

    def start_low():
        resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard))

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "webui", "--index", str(index_dir), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=server_env(),
        preexec_fn=start_low,
    )
    try:
        assert wait_for(lambda: len(children(proc.pid)) == 2)
        assert wait_for(lambda: _answers(f"http://127.0.0.1:{port}"))
        for pid in children(proc.pid) | {proc.pid}:
            limits = Path(f"/proc/{pid}/limits").read_text()
            line = next(x for x in limits.splitlines() if x.startswith("Max open files"))
            worker_soft, worker_hard = line.split()[3:5]
            assert worker_soft == worker_hard or (worker_hard == "unlimited" and int(worker_soft) >= 65536), line
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
