"""The project's one exception family.

Every error a user can cause or meet carries what the command-line tools
exit with and what the web app answers, so each is mapped once: by
`search.cli.reports_errors` for the CLIs and by `webui/errors.py` for HTTP.
The message always says what to do next.
"""

from __future__ import annotations

EXIT_FAILED = 1  # some of the work could not be done (the rest was)
EXIT_NOTHING_DONE = 2  # nothing could be done: bad arguments, no usable index, locked


class StatementsError(Exception):
    """Base class: an error whose message is meant for the user."""

    exit_code = EXIT_NOTHING_DONE
    http_status = 500
    code = "error"


class InvalidInput(StatementsError, ValueError):
    """A parameter or option that cannot be used."""

    http_status = 400
    code = "invalid_parameter"


class QueryError(InvalidInput):
    """A query that cannot be run; the message says what to change."""

    code = "invalid_query"


class IndexUnusable(StatementsError):
    """No index where one was expected, one another version built, or a damaged
    one; the message says how to build or rebuild it."""

    http_status = 503
    code = "index_unavailable"


class Busy(StatementsError):
    """Every slot for this kind of request is taken: try again shortly."""

    http_status = 503
    code = "busy"
    retry_after = 5  # seconds, for the Retry-After header


class IndexingError(StatementsError):
    """The indexer could do nothing (bad arguments, an unwritable index)."""


class IndexLocked(IndexingError):
    """Another indexer holds the index."""


class ReadError(StatementsError):
    """A corpus file that cannot be read; the rest of the corpus still is."""

    exit_code = EXIT_FAILED
    code = "unreadable_file"
