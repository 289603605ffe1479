"""CSV answers: rows streamed in chunks, cells a spreadsheet cannot mistake for formulas."""

from __future__ import annotations

import csv
import io
from typing import Callable, Iterable

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024  # characters gathered before a chunk is sent


def cell(text: str) -> str:
    """Text a spreadsheet would read as a formula, made plain (OWASP CSV injection)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_response(columns: Iterable[str], items: Iterable, row: Callable[[object], list],
                 filename: str) -> Response:
    """A CSV download of `columns` and one `row(item)` per item, streamed as the
    items come (a generator's items are read while the answer is sent)."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for item in items:
            writer.writerow(row(item))
            if buffer.tell() > CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(chunks()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
