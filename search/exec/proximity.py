"""Proximity: among the best matches of a query of several words, those that
hold the words close together come first.

BM25F scores each word on its own, so a long speech that uses three rare
words pages apart can outrank the statement whose one paragraph holds all
three. For the first `DEPTH` statements of the relevance order, each pair of
neighbouring occurrences of two different query words, `d` positions apart,
adds `idf / d` to both words (Büttcher, Clarke and Lushman's term-proximity
score, 2006, with d for their d², which counts words a few places apart in one
sentence for almost nothing), and a title holding every word counts as the
words side by side; a word's total is saturated as BM25 saturates frequency,
and the sum, times `WEIGHT`, is added to the statement's BM25F score. Positions
are the index's own: the occurrences searches keep (search.exec.postings), or
one posting list per term before they are kept. The BM25F scores
themselves are not changed, nor is any order by date.
"""

from __future__ import annotations

import numpy as np

from search import schema as S
from search.exec.distinct import distinct
from search.exec.postings import PostingsCache, holding, occurrences_at
from search.query.build import field_positions
from search.query.tree import Bool, ParsedQuery, Text
from search.exec.scoring import CachedBM25F

DEPTH = 50  # statements re-ranked, from the top of the relevance order (known items: en 0.975 → 0.984 from 20)
WEIGHT = 4.0  # the proximity score's weight beside BM25F (measured in bench/known_items.py)
K1 = 1.2  # saturation of a word's proximity total


def reranked(snap, parsed: ParsedQuery, order: np.ndarray, scores: np.ndarray | None, whole: bool = True):
    """The relevance order with its first DEPTH statements re-ranked by
    proximity (and their scores raised by it); unchanged for fewer than two words.
    `order` may be the start of the order alone (not `whole`): None when the
    window needs more of it."""
    if scores is None or len(order) < 2 or WEIGHT == 0 or _one_word(parsed):
        return order, scores
    groups = query_words(parsed)
    if not any(len(g) >= 2 for g in groups.values()):
        return order, scores
    # The window holds the first DEPTH statements that use the query's words,
    # with those found otherwise (by a title) among them: statements found by
    # other means never push one out of the window.
    end = DEPTH
    while True:
        bonus, seen = proximity_scores(snap.searcher, order[:end], groups, snap.postings)
        if seen.sum() >= DEPTH or end >= len(order):
            break
        end *= 2
    if not whole and seen.sum() < DEPTH and end >= len(order):
        return None
    if seen.sum() >= DEPTH:
        end = int(np.searchsorted(np.cumsum(seen), DEPTH)) + 1
    top, bonus = order[:end], bonus[:end]
    if not bonus.any():
        return order, scores
    new = scores[:end] + WEIGHT * bonus
    datekey = snap.table.datekey
    resort = np.lexsort((-datekey[top], -new))
    return (np.concatenate([top[resort], order[end:]]),
            np.concatenate([new[resort].round(4), scores[end:]]))


def _one_word(parsed: ParsedQuery) -> bool:
    """True when the query is one word that no field's analyser splits: it has
    no two words to hold together (query_words would say so, at more cost,
    looking its name's forms up in every language)."""
    if parsed.raw is not None:
        return False
    leaves = [t for t in parsed.texts() if t.kind in ("word", "phrase") and t.field is None]
    return not leaves or (len(leaves) == 1 and leaves[0].kind == "word" and all(
        len(field_positions(fieldname, leaves[0].text)) < 2 for fieldname in S.BODY.values()))


def query_words(parsed: ParsedQuery) -> dict[str, list[frozenset[str]]]:
    """Per body field, the query's words (outside NOT) as sets of alternative terms.

    A country or organisation searched across languages (a word, a phrase, or
    words typed side by side that make its name) is one word here, whose terms
    are its forms in that field's language: a name alone is not several words
    to hold together, and with other words it is near them in either language.
    The alternatives of an OR are one word too, as a word's lemmas are: "a OR b"
    asks for either, so a statement holding both close together is no closer a match."""
    if parsed.raw is not None:
        return {}
    leaves = [t for t in parsed.texts() if t.kind in ("word", "phrase") and t.field is None]
    if len(leaves) == 1 and leaves[0].kind == "phrase":
        return {}  # (every match of a phrase holds its words together)
    units = _units(parsed, leaves)
    alternatives = _alternatives(parsed.root)
    out = {}
    for fieldname in S.BODY.values():
        words, joined = [], {}
        for run, name in units:
            texts = [leaf.text for leaf in run]
            if name is not None:
                groups = [frozenset(t for text in texts for alts in field_positions(fieldname, text)
                                    for t in alts) | name.get(fieldname, frozenset())]
            else:
                groups = [frozenset(terms) for terms in field_positions(fieldname, texts[0])]
            n = alternatives.get(id(run[0]))
            if n is not None:  # (one word with the OR's other alternatives)
                joined.setdefault(n, set()).update(t for group in groups for t in group)
                continue
            for group in groups:
                if group and group not in words:
                    words.append(group)
        for terms in joined.values():
            if terms and frozenset(terms) not in words:
                words.append(frozenset(terms))
        out[fieldname] = words
    return out


def _units(parsed: ParsedQuery, leaves: list) -> list[tuple[list, dict | None]]:
    """The query's words and phrases as ([leaf], None), and its names as
    (their words' leaves, {field: the terms of the name's other-language forms})."""
    from search.lang.gazetteer import generic_terms
    from search.query.build import Highlights, QueryBuilder, name_run

    units, i = [], 0
    while i < len(leaves):
        run = (name_run(leaves, i, parsed.text) if parsed.names else []) or leaves[i:i + 1]
        i += len(run)
        text = parsed.text[run[0].span[0]:run[-1].span[1]] if len(run) > 1 else run[0].text
        other = (QueryBuilder()._name_forms(Text("phrase", text), list(S.BODY.values()), Highlights())
                 if parsed.names else {})
        if not other:
            units.extend(([leaf], None) for leaf in run)
            continue
        units.append((run, {f: frozenset(t for form in forms for alts in form for t in alts
                                         if len(form) == 1 or t not in generic_terms())
                            for f, forms in other.items()}))
    return units


def _alternatives(root) -> dict[int, int]:
    """{id(leaf): n} for the words and phrases (outside NOT) that are the
    alternatives of the query's n-th OR (the outermost, of two or more)."""
    found: dict[int, int] = {}

    def words(node) -> list:
        if isinstance(node, Text):
            return [node] if node.kind in ("word", "phrase") and node.field is None else []
        if isinstance(node, Bool):
            return [leaf for item in node.items for leaf in words(item)]
        return []  # (NOT, filters, everything)

    def walk(node) -> None:
        if not isinstance(node, Bool):
            return
        under = words(node) if node.op == "or" else []
        if len(under) > 1:
            n = len(set(found.values()))
            found.update((id(leaf), n) for leaf in under)
            return
        for item in node.items:
            walk(item)

    walk(root)
    return found


def proximity_scores(searcher, docnums: np.ndarray, groups: dict[str, list[frozenset[str]]],
                     cache: PostingsCache):
    """Each statement's proximity score (the best of its language sections), and
    whether any of the query's words occur in it. Titles and positions are read
    from the arrays searches keep in `cache` (positions from a posting list when
    the term's occurrences are not kept yet).

    A statement whose title holds every word of the query, or in whose text
    none of them occur (it was found by its title), scores as if the words were
    adjacent, as a title holds them: the re-ranking does not push it below the
    statements that hold them in their text."""
    best = np.zeros(len(docnums))
    seen = np.zeros(len(docnums), dtype=bool)
    adjacent = 0.0
    wanted = distinct(np.asarray(docnums, dtype=np.int64))
    where = {d: i for i, d in enumerate(int(d) for d in docnums)}
    for fieldname, words in groups.items():
        if len(words) < 2:
            continue
        occurrences, idf = _occurrences(searcher, fieldname, words, wanted, cache)
        n = len(words)
        adjacent = max(adjacent, _score(np.arange(n), np.arange(n), idf))
        titled = _in_titles(searcher, words, wanted, cache)
        for docnum in titled:
            best[where[docnum]] = max(best[where[docnum]], _score(np.arange(n), np.arange(n), idf))
        for docnum, parts in occurrences.items():
            i = where[docnum]
            seen[i] = True
            if len({w for _, w in parts}) >= 2:
                pos = np.concatenate([p for p, _ in parts])
                word = np.concatenate([np.full(len(p), w) for p, w in parts])
                order = np.lexsort((word, pos))  # text order (ties: by word number)
                best[i] = max(best[i], _score(pos[order], word[order], idf))
    best[~seen] = adjacent
    return best, seen


def _in_titles(searcher, words, wanted: np.ndarray, cache: PostingsCache) -> set[int]:
    """The statements of `wanted` whose title holds every one of `words` (in any of its terms)."""
    holds = None
    for terms in words:
        found = {int(d) for term in terms for d in holding(searcher, cache, S.TITLE, term, wanted)}
        holds = found if holds is None else holds & found
        if not holds:
            return set()
    return holds or set()


def _occurrences(searcher, fieldname, words, wanted: np.ndarray, cache: PostingsCache):
    """{docnum: [(positions, word number)]} for the statements `wanted` (sorted),
    and each word's idf (the highest of its terms')."""
    found: dict[int, list[tuple[np.ndarray, int]]] = {}
    idf = np.zeros(len(words))
    for w, terms in enumerate(words):
        for term in sorted(terms):
            if (fieldname, term) in searcher.reader():
                idf[w] = max(idf[w], CachedBM25F.idf(searcher, fieldname, term))
            # (kept once the term's marks were read whole; else read from its posting list)
            for docnum, chars in occurrences_at(searcher, cache, fieldname, term, wanted, ask=False):
                found.setdefault(int(docnum), []).append((np.array([c[0] for c in chars], dtype=np.int64), w))
    return found, idf


def _score(pos: np.ndarray, word: np.ndarray, idf: np.ndarray) -> float:
    """Büttcher's proximity accumulators over the occurrences in text order:
    each pair of neighbouring occurrences of two different words, d apart,
    adds the other word's idf / d to both words. (Büttcher's d² made words a
    few places apart in one sentence count for almost nothing: known items
    ru 0.967 → 0.984 with d.)"""
    near = (word[1:] != word[:-1]) & (pos[1:] > pos[:-1])
    before, after = word[:-1][near], word[1:][near]
    d = (pos[1:] - pos[:-1])[near].astype(np.float64)
    acc = np.zeros(len(idf))
    np.add.at(acc, after, idf[before] / d)
    np.add.at(acc, before, idf[after] / d)
    used = acc > 0
    return float(np.sum(idf[used] * acc[used] * (K1 + 1) / (acc[used] + K1)))
