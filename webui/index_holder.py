"""The open index, shared by every request of the app, and the turns its
searches take (see webui.turns).

Opened on first use, so the server can start before the first index exists;
until then requests get a 503 that says how to build one. Once open, the
index follows its directory: a new commit, a replaced or re-created index,
and a damaged one (a 503 that says so, until it is whole again).
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from search.engine import SearchIndex
from search.errors import IndexUnusable
from search.registry import BUILT_IN, Registry
from webui.turns import Turns


class _Holder:
    """The app's SearchIndex, opened by the first request that finds an index."""

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.index: SearchIndex | None = None
        self.lock = threading.Lock()
        self.turns = Turns()

    def get(self) -> SearchIndex:
        """The open index; until one opens, each request tries again (and gets
        the IndexUnusable that says why it cannot)."""
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


def get_registry() -> Registry:
    """The app's index's filters (the facets its corpus declares among them); the
    fixed ones alone while there is no index (the search then says why)."""
    try:
        return get_index().registry
    except IndexUnusable:
        return BUILT_IN


def search_turn():
    """A context manager: wait for this process's turn to search (see Turns)."""
    return current_app.extensions["statements"].turns.turn()
