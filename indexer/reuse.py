"""What the indexer writes for text reuse (search.reuse): each statement's words
as lemma hashes, a column per language, and after a run the commit's shared
passages, found from those columns, beside the index."""

from __future__ import annotations

from search import reuse as R
from search import schema as S


def reuse_columns(bodies: dict[str, str]) -> dict[str, bytes]:
    """Every language's REUSE column value (empty for a language the statement lacks)."""
    return {S.REUSE[lang]: R.column_value(bodies[lang], lang) if bodies.get(lang) else b"" for lang in S.REUSE}


def write_passages(ix) -> None:
    """Finds the shared passages of the index's last commit and writes them
    (search.reuse.FILE), unless they are written already."""
    with ix.reader() as reader:
        key = S.content_key(reader)
        folder = ix.storage.folder
        if R.load(folder, key) is None:
            R.save(folder, key, R.build(reader))
