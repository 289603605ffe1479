"""CSV answers: rows streamed in chunks, cells a spreadsheet cannot mistake for
formulas, UTF-8 with a byte-order mark (Excel reads Cyrillic as such only with
one; `bom=0` leaves it out); and JSON Lines, one object a line."""

from __future__ import annotations

import csv
import io
from typing import Callable, Iterable

import json

from flask import Response, request, stream_with_context

from webui.params import switch

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024  # characters gathered before a chunk is sent


def cell(text: str) -> str:
    """Text a spreadsheet would read as a formula, made plain (OWASP CSV injection)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_response(columns: Iterable[str], items: Iterable, row: Callable[[object], list],
                 filename: str) -> Response:
    """A CSV download of `columns` and one `row(item)` per item, streamed as the
    items come (a generator's items are read while the answer is sent)."""

    args = request.args
    bom = switch(args, "bom", "start with a byte-order mark, for Excel", "leave it out")

    def chunks():
        buffer = io.StringIO()
        if bom:
            buffer.write("\ufeff")
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


def jsonl_response(items: Iterable, as_dict: Callable[[object], dict], filename: str) -> Response:
    """A JSON Lines download: one `as_dict(item)` per line, streamed as the items come."""

    def chunks():
        lines = []
        size = 0
        for item in items:
            line = json.dumps(as_dict(item), ensure_ascii=False) + "\n"
            lines.append(line)
            size += len(line)
            if size > CHUNK:
                yield "".join(lines)
                lines, size = [], 0
        yield "".join(lines)

    response = Response(stream_with_context(chunks()), mimetype="application/jsonl")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
