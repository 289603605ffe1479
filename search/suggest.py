"""Did you mean: the query with its misspelt words replaced by the corpus's own.

Offered only when the corrected query finds more than the query did, under
the same filters.
"""

from __future__ import annotations

from search.analysis import fold, has_letters, is_stop_word
from search.matching import find
from search.query_parser import parse
from search.query_tree import ParsedQuery
from search.results import Filters
from search.snapshots import Snapshot

SUGGEST_BELOW = 3  # offer "did you mean" when a query's words find fewer statements


def suggestion(snap: Snapshot, parsed: ParsedQuery, filters: Filters, total: int) -> str | None:
    """A respelling of the query that finds more than `total` statements, or None."""
    vocabulary = snap.vocabulary()
    text = parsed.text
    replacements = []
    for leaf in parsed.texts():
        if leaf.kind != "word" or not leaf.span:
            continue
        start, end = leaf.span
        if text[start:end] != leaf.text:
            continue
        word = fold(leaf.text)
        if not has_letters(word) or is_stop_word(word):
            continue
        better = vocabulary.correction(word)
        if better:
            if leaf.text[:1].isupper():
                better = better[:1].upper() + better[1:]
            replacements.append((start, end, better))
    if not replacements:
        return None
    for start, end, better in sorted(replacements, reverse=True):
        text = text[:start] + better + text[end:]
    found = find(snap, parse(text), filters, scored=False).total
    return text if found > total else None
