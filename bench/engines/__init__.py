"""Engine adapters behind one interface (`bench.engines.base.Engine`), by name."""

from __future__ import annotations

import importlib

from bench.engines.base import Engine, Outcome, Session
from bench.engines.ours import Ours
from bench.engines.plain_whoosh import PlainWhoosh
from bench.engines.sqlite_fts5 import SqliteFts5
from bench.engines.tantivy_search import Tantivy

ENGINES: dict[str, type[Engine]] = {e.name: e for e in (Ours, PlainWhoosh, SqliteFts5, Tantivy)}

__all__ = ["ENGINES", "Engine", "Outcome", "Session", "get", "missing_modules"]


def get(name: str) -> Engine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown engine {name!r}: use {', '.join(ENGINES)}") from None


def missing_modules(name: str) -> list[str]:
    """The optional modules an engine needs that cannot be imported."""
    missing = []
    for module in ENGINES[name].modules:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    return missing
