"""The open index, shared by every request of the app, and the turns its
searches take.

Opened on first use, so the server can start before the first index exists;
until then requests get a 503 that says how to build one.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from search.engine import SearchIndex
from search.errors import IndexUnusable

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


class _Holder:
    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.index: SearchIndex | None = None
        self.lock = threading.Lock()
        self.turns = Turns()

    def get(self) -> SearchIndex:
        if self.index is None:
            with self.lock:
                if self.index is None:
                    self.index = SearchIndex(self.index_dir)
        return self.index


def init_app(app: Flask) -> None:
    app.extensions["statements"] = _Holder(app.config["INDEX_DIR"])


def warm_up(app: Flask) -> bool:
    """Opens the index and runs one search, so the first visitor does not wait
    for the morphology dictionaries and the facet columns to load."""
    try:
        app.extensions["statements"].get().search("выборы elections", per_page=1)
    except IndexUnusable:
        return False
    except Exception:  # serve anyway: each request will report what is wrong
        app.logger.exception("warming up the index failed")
        return False
    return True


def get_index() -> SearchIndex:
    """The app's SearchIndex (raises IndexUnusable when there is none yet)."""
    return current_app.extensions["statements"].get()


def search_turn():
    """A context manager: wait for this process's turn to search (see Turns)."""
    return current_app.extensions["statements"].turns.turn()
