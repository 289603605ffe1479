"""The text-reuse columns the indexer writes for a statement: each language's
words as lemma hashes (search.reuse), from which a commit's shared passages are found."""

from __future__ import annotations

from search import schema as S
from search.reuse import column_value


def reuse_columns(bodies: dict[str, str]) -> dict[str, bytes]:
    """Every language's REUSE column value (empty for a language the statement lacks)."""
    return {S.REUSE[lang]: column_value(bodies[lang], lang) if bodies.get(lang) else b"" for lang in S.REUSE}
