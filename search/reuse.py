"""Text reuse: the passages of at least PASSAGE_WORDS words that statements share.

Words are compared by their lemma (a Russian or Ukrainian word's first lemma in
sort order, an English word's stem: the terms the index itself makes, from
search.morphology), so «территориальной целостности» repeats «территориальная
целостность». The indexer writes each statement's words, per language, as a
column of 32-bit term hashes (`column_value`, REUSE); a commit's table of
shared passages is made from the columns of its live statements once, when
first asked for (`table`), and kept by the open index for that commit's content.
Each language is compared within itself.

A run of PASSAGE_WORDS words found in more than BOILERPLATE_SHARE of a
language's statements (and in more than BOILERPLATE_MIN of them) is boilerplate
(a ministry's standard footer) and is left out; how many such passages each
statement has is counted, so a page can say so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from search import schema as S
from search.folding import WORD_RE, fold_text
from search.morphology import word_terms

PASSAGE_WORDS = 12  # the shortest passage reported, in words (a shingle's length)
BOILERPLATE_SHARE = 0.10  # a passage in more than this share of a language's statements is boilerplate
BOILERPLATE_MIN = 5  # ... when that is more than this many statements (a small corpus has none)
_MULT = np.uint64(0x9E3779B97F4A7C15)  # the shingle hash's multiplier (odd, 64-bit)
_HASHES: dict[tuple[str, str], int] = {}  # (term, language) → its 32-bit hash, per process
_MAX_HASHES = 500_000


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of a text, as reuse counts words (a hyphenated word is one)."""
    return [m.span() for m in WORD_RE.finditer(fold_text(text))]


def term_hash(word: str, lang: str) -> int:
    """A folded word's 32-bit hash of its lemma (the smallest of its terms), in one language."""
    key = (word, lang)
    found = _HASHES.get(key)
    if found is None:
        lemma = min(word_terms(word, False, lang))
        found = int.from_bytes(hashlib.blake2b(f"{lang}:{lemma}".encode(), digest_size=4).digest(), "little")
        if len(_HASHES) >= _MAX_HASHES:
            _HASHES.clear()
        _HASHES[key] = found
    return found


def column_value(text: str, lang: str) -> bytes:
    """A statement's REUSE column value in one language: its words' lemma hashes, in order."""
    words = [m.group() for m in WORD_RE.finditer(fold_text(text))]
    return np.fromiter((term_hash(w, lang) for w in words), dtype="<u4", count=len(words)).tobytes()


def shingles(value: bytes) -> np.ndarray:
    """The 64-bit hash of every run of PASSAGE_WORDS words (one per starting word)."""
    words = np.frombuffer(value, dtype="<u4").astype(np.uint64)
    n = len(words) - PASSAGE_WORDS + 1
    if n <= 0:
        return np.zeros(0, np.uint64)
    out = np.zeros(n, np.uint64)
    with np.errstate(over="ignore"):
        for k in range(PASSAGE_WORDS):
            out = out * _MULT + words[k:k + n]
    return out


@dataclass
class Table:
    """A commit's shared passages in one language, each between two statements.

    Passage i: statements a[i] < b[i] (document numbers), starting at word
    a_at[i] of a's text and b_at[i] of b's, `words[i]` words long."""

    lang: str
    a: np.ndarray
    b: np.ndarray
    a_at: np.ndarray
    b_at: np.ndarray
    words: np.ndarray
    statements: int  # statements with text in the language
    boilerplate_limit: int  # a passage in more statements than this is boilerplate
    boilerplate: np.ndarray  # per document: boilerplate passages left out of its text

    def of(self, docnum: int) -> np.ndarray:
        """The passages a statement shares (indices into the arrays)."""
        return np.flatnonzero((self.a == docnum) | (self.b == docnum))


def boilerplate_limit(statements: int) -> int:
    return max(BOILERPLATE_MIN, int(statements * BOILERPLATE_SHARE))


def table(snap, lang: str) -> Table:
    """The shared passages of the snapshot's commit in one language, made once per commit content."""
    kept = snap.kept("reuse", dict)
    key = (S.content_key(snap.searcher.reader()), lang)
    found = kept.get(key)
    if found is None:
        while len(kept) >= 2 * len(S.REUSE):  # (this commit's and the last's, each language)
            kept.pop(next(iter(kept)), None)
        found = kept.setdefault(key, _make(snap, lang))
    return found


def _make(snap, lang: str) -> Table:
    reader = snap.searcher.reader()
    size = reader.doc_count_all()
    live = snap.table.live
    values = S.read_column(reader, S.REUSE[lang]) if size else []
    parts, docs, starts = [], [], []
    statements = 0
    for docnum, value in enumerate(values):
        if not value or not live[docnum]:
            continue
        statements += 1
        h = shingles(value)
        if len(h):
            parts.append(h)
            docs.append(np.full(len(h), docnum, np.int32))
            starts.append(np.arange(len(h), dtype=np.int32))
    limit = boilerplate_limit(statements)
    boiler = np.zeros(size, np.int32)
    empty = np.zeros(0, np.int32)
    if not parts:
        return Table(lang, empty, empty, empty, empty, empty, statements, limit, boiler)
    h, d, p = np.concatenate(parts), np.concatenate(docs), np.concatenate(starts)
    order = np.argsort(h, kind="stable")  # (within a hash: documents, then positions, ascending)
    h, d, p = h[order], d[order], p[order]
    new_hash = np.ones(len(h), bool)
    new_hash[1:] = h[1:] != h[:-1]
    new_doc = new_hash.copy()
    new_doc[1:] |= d[1:] != d[:-1]
    group = np.cumsum(new_hash) - 1
    in_docs = np.bincount(group, weights=new_doc).astype(np.int64)[group]  # each entry's hash: its statements
    _count_boilerplate(boiler, d[in_docs > limit], p[in_docs > limit])
    shared = (in_docs >= 2) & (in_docs <= limit)
    pairs = _pairs(d[shared], p[shared], group[shared])
    return Table(lang, *_passages(*pairs), statements, limit, boiler)


def _count_boilerplate(boiler: np.ndarray, d: np.ndarray, p: np.ndarray) -> None:
    """Adds each statement's runs of boilerplate shingles (one passage each) to `boiler`."""
    if not len(d):
        return
    order = np.lexsort((p, d))
    d, p = d[order], p[order]
    starts = np.ones(len(d), bool)
    starts[1:] = (d[1:] != d[:-1]) | (p[1:] > p[:-1] + 1)
    np.add.at(boiler, d[starts], 1)


def _pairs(d: np.ndarray, p: np.ndarray, group: np.ndarray):
    """Every (a, b, a_at, b_at) of two entries of one hash in different statements, a < b."""
    cut = np.flatnonzero(np.diff(group)) + 1
    bounds = zip(np.concatenate(([0], cut)), np.concatenate((cut, [len(group)])))
    out_a, out_b, out_pa, out_pb = [], [], [], []
    for lo, hi in bounds:
        if hi - lo == 2:  # (the commonest case: one shingle in two statements)
            out_a.append(d[lo:lo + 1])
            out_b.append(d[lo + 1:hi])
            out_pa.append(p[lo:lo + 1])
            out_pb.append(p[lo + 1:hi])
            continue
        gd, gp = d[lo:hi], p[lo:hi]
        i, j = np.triu_indices(hi - lo, 1)
        keep = gd[i] < gd[j]  # (entries are in document order: never gd[i] > gd[j])
        out_a.append(gd[i[keep]])
        out_b.append(gd[j[keep]])
        out_pa.append(gp[i[keep]])
        out_pb.append(gp[j[keep]])
    if not out_a:
        return (np.zeros(0, np.int32),) * 4
    return tuple(np.concatenate(x) for x in (out_a, out_b, out_pa, out_pb))


def _passages(a, b, pa, pb):
    """Shingle matches merged into maximal passages: consecutive matches on one diagonal."""
    if not len(a):
        return a, b, pa, pb, np.zeros(0, np.int32)
    diag = pa.astype(np.int64) - pb
    order = np.lexsort((pa, diag, b, a))
    a, b, pa, pb, diag = a[order], b[order], pa[order], pb[order], diag[order]
    starts = np.ones(len(a), bool)
    starts[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (diag[1:] != diag[:-1]) | (pa[1:] != pa[:-1] + 1)
    first = np.flatnonzero(starts)
    runs = np.diff(np.append(first, len(a)))
    return a[first], b[first], pa[first], pb[first], (runs + PASSAGE_WORDS - 1).astype(np.int32)
