"""The open index, shared by every request of the app.

Opened on first use, so the server can start before the first index exists;
until then requests get a 503 that says how to build one.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from search.engine import IndexUnusable, SearchIndex


class IndexUnavailable(Exception):
    """No index to search yet; the message says how to build it."""


class _Holder:
    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.index: SearchIndex | None = None
        self.lock = threading.Lock()

    def get(self) -> SearchIndex:
        if self.index is None:
            with self.lock:
                if self.index is None:
                    try:
                        self.index = SearchIndex(self.index_dir)
                    except IndexUnusable as err:
                        raise IndexUnavailable(str(err)) from None
        return self.index


def init_app(app: Flask) -> None:
    app.extensions["statements"] = _Holder(app.config["INDEX_DIR"])


def warm_up(app: Flask) -> bool:
    """Opens the index and runs one search, so the first visitor does not wait
    for the morphology dictionaries and the facet columns to load."""
    try:
        app.extensions["statements"].get().search("выборы elections", per_page=1)
    except IndexUnavailable:
        return False
    except Exception:  # serve anyway: each request will report what is wrong
        app.logger.exception("warming up the index failed")
        return False
    return True


def get_index() -> SearchIndex:
    """The app's SearchIndex (raises IndexUnavailable when there is none yet)."""
    return current_app.extensions["statements"].get()
