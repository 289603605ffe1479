"""What the indexer writes for text reuse (search.views.passages): each statement's words
as lemma hashes, a column per language, and after a run the commit's shared
passages, found from those columns, beside the index."""

from __future__ import annotations

from search.views import passages as R
from search import schema as S
from search.exec import storage


def reuse_columns(bodies: dict[str, str]) -> dict[str, bytes]:
    """Every language's REUSE column value (empty for a language the statement lacks)."""
    return {S.REUSE[lang]: R.column_value(bodies[lang], lang) if bodies.get(lang) else b"" for lang in S.REUSE}


def write_passages(ix) -> str | None:
    """Finds the shared passages of the index's last commit and writes them
    (search.views.passages.FILE), unless they are written already. Returns why they could
    not be written (a read-only directory, a full disk), or None: searches then
    find them from the columns themselves, so nothing is wrong, only slower."""
    with ix.reader() as reader:
        key = storage.content_key(reader)
        folder = ix.storage.folder
        if R.load(folder, key) is not None:
            return None
        tables = R.build(reader)
    try:
        R.save(folder, key, tables)
    except OSError as err:
        return f"the shared passages (text reuse) could not be written: {err.strerror or err}"
    return None
