"""Exports (the CSV downloads of every match) take one of a few slots of their
worker process, held until the last row is handed to the server.

An export can take seconds and, for a client that does not read, hold its
thread until the connection times out; with every thread so held, light
searches would queue behind them. With at most `slots` exports at once, the
other threads are always free for them. An export beyond that is answered 503
at once, with Retry-After, rather than queued.
"""

from __future__ import annotations

import functools
import threading

from flask import Flask, current_app

from search.errors import Busy

CONFIG_KEY = "EXPORT_SLOTS"
DEFAULT_SLOTS = 2


def slots_for(threads: int) -> int:
    """Exports a worker with `threads` threads runs at once: a quarter of them, at least one."""
    return max(1, threads // 4)


def init_app(app: Flask) -> None:
    app.config.setdefault(CONFIG_KEY, DEFAULT_SLOTS)
    app.extensions["export_slots"] = threading.BoundedSemaphore(app.config[CONFIG_KEY])


def export(view):
    """A view whose answer is an export: it runs in a slot, freed when the answer closes."""

    @functools.wraps(view)
    def in_a_slot(*args, **kwargs):
        slots = current_app.extensions["export_slots"]
        if not slots.acquire(blocking=False):
            raise Busy(f"{current_app.config[CONFIG_KEY]} exports are being written by this "
                       "server process; try again in a few seconds")
        once = threading.Lock()

        def release():  # (once: when the last row is written, or the answer is closed first)
            if once.acquire(blocking=False):
                slots.release()

        try:
            response = view(*args, **kwargs)
        except BaseException:
            release()
            raise
        rows = response.response

        def written():
            try:
                yield from rows
            finally:
                release()

        response.response = written()
        response.call_on_close(release)
        return response

    return in_a_slot
