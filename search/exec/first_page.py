"""The first page of a search for a name shows the statements of the other language.

A name searched across languages (search.exec.concept) ranks every statement by
how densely it names the entity, in whichever language: a statement naming it
once in a long article comes after the speeches about it. When every
statement with no text in the language typed (found only by the entity's
names in the other language) ranks below the first page, the best of them is
shown last on it, at place FIRST_PAGE, so that a researcher sees that the
other language has statements too (bench/cross_language.py measures how often
the first page holds one). The statements it passes keep their order, and
every score is left as it is.
"""

from __future__ import annotations

import numpy as np

from search import schema as S
from search.lang.analysis import fold
from search.lang.folding import word_script
from search.lang.table import script_languages
from search.exec.concept import Concept
from search.query.tree import ParsedQuery

FIRST_PAGE = 10  # places; the best statement of the other language is shown at the last at most


def with_other_language(snap, parsed: ParsedQuery, wquery, order: np.ndarray, scores: np.ndarray | None):
    """The relevance order (and scores) with the best statement that has no text
    in the language typed moved up to place FIRST_PAGE when none is before it."""
    if scores is None or len(order) <= FIRST_PAGE or not applies(parsed, wquery):
        return order, scores
    typed = S.lang_mask({lang for t in parsed.texts()
                         for lang in script_languages(word_script(fold(t.text)))})
    if not typed:
        return order, scores
    other = (snap.table.lang[order] & typed) == 0
    if other[:FIRST_PAGE].any() or not other.any():
        return order, scores
    j = int(np.argmax(other))  # the first of them
    at = FIRST_PAGE - 1
    moved = np.concatenate([np.arange(at), [j], np.arange(at, j), np.arange(j + 1, len(order))])
    return order[moved], scores[moved]


def applies(parsed: ParsedQuery, wquery) -> bool:
    """Whether the query searches a name across languages (the whole order is then looked through)."""
    return parsed.names and _has_names(wquery)


def _has_names(wquery) -> bool:
    return any(isinstance(q, Concept) for q in wquery.leaves())
