"""`python -m webui` itself: worker processes, replacing a dead one, stopping cleanly."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
