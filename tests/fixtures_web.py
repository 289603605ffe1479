"""The real server (`python -m webui`) and a real Chromium, for tests that need them.

A pytest plugin (see conftest.py): the fixtures `server`, `browser` and
`page` are available to every test module.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    """The environment without the settings a developer may have exported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATEMENTS_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@contextmanager
def running_server(index_dir, *args, port: int | None = None, timeout: float = 30):
    """Starts `python -m webui` on a loopback port and yields its base URL.

    Without a `port`, one the OS says is free; should another process (a test
    running in parallel) take it before the server binds it, the server is
    started again on another.
    """
    for attempt in range(5):
        proc, log, url = _start_server(index_dir, args, port or free_port(), timeout)
        if proc is not None:
            break
        if port is not None or attempt == 4:
            pytest.fail(f"the server did not start: {_output(log)}")
        log.close()
    try:
        yield url
    except BaseException as err:
        # What the server said is often the explanation of a failure.
        if isinstance(err, AssertionError) and "Traceback" in (output := _output(log)):
            err.args = (f"{err.args[0] if err.args else ''}\n--- server output ---\n{output[-4000:]}",)
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _start_server(index_dir, args, port: int, timeout: float):
    """(process, log, url) of a server answering on `port`, or (None, log, url) when
    the port was taken; fails the test on any other failure to start."""
    # The server's output goes to a file, which never fills up as a pipe would.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "webui", "--index", str(index_dir), "--port", str(port), *args],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env={**server_env(), "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    # First its own line saying it listens, so that what answers is this server.
    while "Searching " not in _output(log):
        if proc.poll() is not None:
            if "cannot listen" in _output(log):
                return None, log, url
            pytest.fail(f"the server did not start: {_output(log)}")
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"the server did not start: {_output(log)}")
        time.sleep(0.05)
    while True:
        try:
            urllib.request.urlopen(url + "/help", timeout=2).read()
            return proc, log, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                pytest.fail(f"the server did not start: {_output(log)}")
            time.sleep(0.05)


def _output(log) -> str:
    # pread: the file's offset is shared with the server writing to it, and stays put.
    fd = log.fileno()
    return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")


@pytest.fixture(scope="session")
def server(index_dir):
    """The real server on the session index, on a free loopback port (one for the
    session: tests only read through it)."""
    with running_server(index_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session; each test gets its own context (`page`)."""
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium found: install the Debian packages chromium and chromium-driver "
                    "(.ci/run does) or set CHROMIUM to a Chromium binary")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def watch(page) -> list[str]:
    """Collects console errors, uncaught errors and dialogs of a page in page.problems."""
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    return page.problems


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch(page)
    yield page
    context.close()
