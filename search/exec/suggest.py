"""Respellings of a query from the corpus's own words: automatic corrections
and "did you mean".

A query that finds almost nothing because a word of it is in no statement
is searched at once as corrected (`corrected_match`), and says so. A query
that finds little is offered a respelling to click (`suggestion`) when that
finds more, under the same filters. Phrases, fields and operators stay as
typed: only the misspelt words are replaced.
"""

from __future__ import annotations

from search.lang.analysis import WORD_RE, fold, has_letters, is_stop_word
from search.exec.matching import Match, find
from search.query.parser import parse
from search.query.tree import ParsedQuery
from search.results import Corrected, Filters
from search.exec.snapshots import Snapshot

SUGGEST_BELOW = 3  # offer "did you mean" when a query's words find fewer statements
CORRECT_BELOW = 3  # correct at once when a query with an unknown word finds fewer statements
# Words of one query looked up for a respelling, at most (each costs a look
# through the vocabulary: 300 unknown words took 1.7 s); the rest stay as typed.
MAX_RESPELLED = 12


def find_corrected(snap: Snapshot, parsed: ParsedQuery, filters: Filters | None, scored: bool,
                   autocorrect: bool = True) -> tuple[ParsedQuery, Match, Corrected | None]:
    """`find`, then, with `autocorrect`, the corrected query when that finds
    more: (the query searched, what it finds, the correction or None)."""
    found = find(snap, parsed, filters, scored=scored)
    if autocorrect and parsed.raw is None:
        respelt = corrected_match(snap, parsed, filters, found, scored)
        if respelt:
            text, better_parsed, better = respelt
            return better_parsed, better, Corrected(query=text, original=parsed.text)
    return parsed, found, None


def corrected_match(snap: Snapshot, parsed: ParsedQuery, filters: Filters | None, found: Match,
                    scored: bool) -> tuple[str, ParsedQuery, Match] | None:
    """(corrected text, its parse, what it finds) when `parsed` finds almost
    nothing because of words no statement uses and the correction finds more;
    else None."""
    if parsed.is_empty or int(found.base.sum()) >= CORRECT_BELOW:
        return None
    text = respelled(parsed, snap.vocabulary().autocorrection)
    if text is None:
        return None
    better_parsed = parse(text, registry=snap.registry)
    better = find(snap, better_parsed, filters, scored=scored)
    return (text, better_parsed, better) if better.total > found.total else None


def suggestion(snap: Snapshot, parsed: ParsedQuery, filters: Filters, total: int) -> str | None:
    """A respelling of the query that finds more than `total` statements, or None."""
    text = respelled(parsed, snap.vocabulary().correction)
    if text is None:
        return None
    found = find(snap, parse(text, registry=snap.registry), filters, scored=False).total
    return text if found > total else None


def respelled(parsed: ParsedQuery, better_word) -> str | None:
    """The query's text with each word that `better_word` (folded word → word
    or None) respells replaced, in words and phrases alike; None when none is."""
    text = parsed.text
    replacements = []
    looked_up = 0
    for leaf in parsed.texts():
        if leaf.kind not in ("word", "phrase") or not leaf.span:
            continue
        start, end = leaf.span
        typed = text[start:end]
        if leaf.kind == "word":
            if typed != leaf.text:
                continue
            words = [(start, typed)]
        else:
            words = [(start + m.start(), m.group()) for m in WORD_RE.finditer(typed)]
        for at, word in words:
            if looked_up == MAX_RESPELLED:
                break
            looked_up += 1
            better = _respelled_word(word, better_word)
            if better:
                replacements.append((at, at + len(word), better))
    if not replacements:
        return None
    for start, end, better in sorted(replacements, reverse=True):
        text = text[:start] + better + text[end:]
    return text


def _respelled_word(typed: str, better_word) -> str | None:
    word = fold(typed)
    if not has_letters(word) or is_stop_word(word):
        return None
    better = better_word(word)
    if better and typed[:1].isupper():
        better = better[:1].upper() + better[1:]
    return better
