"""A reader run in a child process, with a ceiling on the memory and time it
may take: a small file can make a library ask for gigabytes (a 1 MB PDF whose
page refers sixteen times to one stream that inflates to 1 GB drove the
indexer past 12 GB). Past the ceiling the child dies alone, and the file is
reported; the run goes on."""

from __future__ import annotations

import faulthandler
import functools
import os
import pickle
import resource
import signal

from search.errors import ReadError

MAX_READ_MB = 2048  # memory one file may take while it is read, beyond the indexer's own
MAX_READ_SECONDS = 300  # and time


def bounded(reader):
    """`reader(data)`, run in a child process within MAX_READ_MB and MAX_READ_SECONDS."""

    @functools.wraps(reader)
    def in_a_child(data: bytes):
        return run(reader, data, MAX_READ_MB, MAX_READ_SECONDS)

    return in_a_child


def run(reader, data: bytes, memory_mb: int, seconds: int):
    """What `reader(data)` returns or raises (ReadError), read in a forked child;
    a ReadError saying so when the child needs more memory or time."""
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send the outcome, and go (no cleanup of the parent's state)
        code = 0
        try:
            os.close(receive)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)  # (killed by the alarm, whatever the parent set)
            # A library that aborts at the ceiling is reported by the parent: no
            # "Fatal Python error" dump of the child's stack on the indexer's output.
            faulthandler.disable()
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            limit = _address_space() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            signal.alarm(seconds)
            try:
                outcome = ("read", reader(data))
            except ReadError as err:
                outcome = ("refused", str(err))
            except MemoryError:
                outcome = ("memory", "")
            except Exception as err:  # a reader's own fault, reported as the parent would
                outcome = ("failed", f"{type(err).__name__}: {err}")
            with os.fdopen(send, "wb") as pipe:
                pipe.write(pickle.dumps(outcome))
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(send)
    with os.fdopen(receive, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    kind, value = pickle.loads(payload) if payload else ("memory", "")
    if kind == "read":
        return value
    if kind == "refused":
        raise ReadError(value)
    if kind == "failed":
        raise ReadError(f"cannot be read: {value}")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
        raise ReadError(f"took more than {seconds} s to read: left out")
    raise ReadError(f"needs more than {memory_mb:,} MB of memory to read (a compression bomb?): left out")


def _address_space() -> int:
    """This process's virtual memory in bytes (the child's ceiling is set above it)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0
