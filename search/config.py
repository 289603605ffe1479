"""Settings shared by the command-line tools and the web app, declared once.

Each setting is read from its command-line flag, then from its environment
variable, then falls back to its default. `SETTINGS` is the one table: every
CLI declares its options with `search.cli.option(setting)`, the web app reads the same
variables, and a test checks that docs/configuration.md documents each of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from search.errors import InvalidInput


MB = 1024 * 1024  # the megabyte of the size settings


@dataclass(frozen=True)
class Setting:
    flag: str  # the command-line flag, e.g. "--index"
    env: str  # the environment variable, e.g. "STATEMENTS_INDEX"
    default: object
    help: str
    kind: type = str  # int, float or str
    bounds: tuple[float | None, float | None] = (None, None)  # a number's lowest and highest (None: open)
    dest: str | None = None  # the parameter name in the command's function
    above: bool = False  # the lowest bound itself is not taken (a number above it)
    extra: dict = field(default_factory=dict)  # other click.option arguments

    @property
    def name(self) -> str:
        return self.dest or self.flag.lstrip("-").replace("-", "_")


INDEX = Setting("--index", "STATEMENTS_INDEX", "index", "Index directory.", dest="index_dir")
CORPUS = Setting("--corpus", "STATEMENTS_CORPUS", "corpus", "Corpus directory (the statements).")
PROCS = Setting("--procs", "STATEMENTS_PROCS", 1, "Indexing processes.", int, (1, 64))
MAX_FILE_MB = Setting("--max-size", "STATEMENTS_MAX_FILE_MB", 50,
                      "Largest file to index, in megabytes.",
                      float, (0, None), dest="max_mb", above=True)
MAX_STATEMENT_MB = Setting("--max-statement-size", "STATEMENTS_MAX_STATEMENT_MB", 2,
                           "Text indexed and stored per statement, in megabytes; "
                           "the rest of a longer one is left out, with a warning.",
                           float, (0, None), dest="max_statement_mb", above=True)
HOST = Setting("--host", "STATEMENTS_HOST", "127.0.0.1", "Address to listen on.")
PORT = Setting("--port", "STATEMENTS_PORT", 8000, "Port to listen on.", int, (1, 65535))
PUBLIC_URL = Setting("--public-url", "STATEMENTS_PUBLIC_URL", "",
                     "The address people reach the server at (https://example.org/statements): "
                     "the absolute links of the JSON and the feeds use it, never a request's "
                     "Host header. Unset: the address it listens on.")
THREADS = Setting("--threads", "STATEMENTS_THREADS", 8, "Web server threads per worker process.",
                  int, (1, 64))
WORKERS = Setting("--workers", "STATEMENTS_WORKERS", 2,
                  "Web server worker processes (each uses a core).", int, (1, 64))
POSTINGS_CACHE_MB = Setting("--postings-cache", "STATEMENTS_POSTINGS_CACHE_MB", 192,
                            "Memory each searching process keeps for the postings of searched "
                            "words, in megabytes.", float, (1, None), dest="postings_cache_mb")

SETTINGS = (INDEX, CORPUS, PROCS, MAX_FILE_MB, MAX_STATEMENT_MB, HOST, PORT, PUBLIC_URL, THREADS,
            WORKERS, POSTINGS_CACHE_MB)


def from_env(setting: Setting):
    """A setting's value from its environment variable (checked as its option is),
    else its default: for code that has no command line."""
    value = os.environ.get(setting.env)
    if value is None:
        return setting.default
    return checked(setting, value, setting.env)


def checked(setting: Setting, raw, name: str):
    """A setting's value from text, of its kind and within its bounds; InvalidInput names `name`."""
    try:
        value = setting.kind(raw)
    except ValueError:
        what = "a whole number" if setting.kind is int else "a number"
        raise InvalidInput(f"{name}: {raw!r} is not {what}") from None
    lo, hi = setting.bounds
    if lo is not None and (value <= lo if setting.above else value < lo):
        raise InvalidInput(f"{name}: must be {'above' if setting.above else 'at least'} {lo}")
    if hi is not None and value > hi:
        raise InvalidInput(f"{name}: must be at most {hi}")
    return value
