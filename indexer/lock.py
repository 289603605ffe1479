"""The indexer's lock: one indexer writes to an index at a time."""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from search.errors import IndexingError, IndexLocked

LOCK_NAME = "indexer.lock"


@contextmanager
def indexer_lock(index_dir: Path, wait: float = 0.0):
    """Holds an exclusive lock on the index for the whole run.

    The lock is an OS file lock: it goes away with the process, so a killed
    indexer never leaves a stale lock behind.
    """
    path = index_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise IndexingError(f"cannot write to the index directory {index_dir}: {err.strerror}")
    deadline = time.monotonic() + max(wait, 0.0)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"another indexer is writing to {index_dir}; wait for it to finish, "
                        "or pass --wait SECONDS to wait for the lock"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)
