"""One search at a time in each server process, first come first served."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    """One search at a time in this process, in the order they arrived.

    Searching is Python work, and the threads of a process share one
    interpreter lock: searches run at once only interleave, so each takes
    as long as all of them together, and the switching costs throughput.
    Taking turns, a search takes its own time plus the time of those that
    came before it. The turn is handed to the longest-waiting caller (a
    plain Lock would let a newcomer overtake it) and wakes no other thread.
    Cheap requests (static files, the help page) do not take a turn.
    """

    def __init__(self):
        self._mutex = threading.Lock()
        self._busy = False
        self._queue: deque[threading.Event] = deque()

    @contextmanager
    def turn(self) -> Iterator[None]:
        handed = None  # set when the turn is handed over to this caller
        with self._mutex:
            if self._busy:
                handed = threading.Event()
                self._queue.append(handed)
            else:
                self._busy = True
        if handed is not None:
            handed.wait()  # a server's worker threads are never interrupted here
        try:
            yield
        finally:
            self._pass_on()

    def _pass_on(self) -> None:
        with self._mutex:
            if self._queue:
                self._queue.popleft().set()
            else:
                self._busy = False

    @property
    def waiting(self) -> int:
        """How many callers wait for their turn."""
        with self._mutex:
            return len(self._queue)
