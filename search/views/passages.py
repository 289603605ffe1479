"""Text reuse: the passages of at least PASSAGE_WORDS words that statements share.

Words are compared by their lemma (a Russian or Ukrainian word's first lemma in
sort order, an English word's stem: the terms the index itself makes, from
search.lang.morphology), so «территориальной целостности» repeats «территориальная
целостность». The indexer writes each statement's words, per language, as a
column of 32-bit term hashes (`column_value`, REUSE). After each run the
indexer finds the commit's shared passages from the columns of its live
statements (`build`) and writes them beside the index (FILE), with the commit's
content key; a snapshot reads them when the key is its own commit's (and else
finds them itself, from the same columns), once per commit content.
Each language is compared within itself.

A run of PASSAGE_WORDS words found in more than BOILERPLATE_SHARE of a
language's statements (and in more than BOILERPLATE_MIN of them), or in more
than BOILERPLATE_MAX, is boilerplate
(a ministry's standard footer) and is left out, with every run of words that
touches it (a passage is PASSAGE_WORDS words outside boilerplate); how many
boilerplate passages each statement has is counted, so a page can say so.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search import schema as S
from search.exec import storage
from search.lang.folding import WORD_RE, fold_text, word_bounds
from search.lang.morphology import word_terms
from search.exec.texts import column_arrays, decode

PASSAGE_WORDS = 12  # the shortest passage reported, in words (a shingle's length)
BOILERPLATE_SHARE = 0.10  # a passage in more than this share of a language's statements is boilerplate
BOILERPLATE_MIN = 5  # ... when that is more than this many statements (a small corpus has none)
BOILERPLATE_MAX = 200  # and a passage in more statements than this is boilerplate however large the corpus
PASS_SHINGLES = 1 << 17  # shingles sorted and grouped at a time: what finding passages holds beyond the hashes
_NO_PASS = 255  # (at most this many passes; a shingle's pass once it is no match)
_MULT = np.uint64(0x9E3779B97F4A7C15)  # the shingle hash's multiplier (odd, 64-bit)
_HASHES: dict[tuple[str, str], int] = {}  # (term, language) → its 32-bit hash, per process
_MAX_HASHES = 500_000
FILE = "reuse.npz"  # in the index directory: the last commit's tables, as the indexer found them
_ARRAYS = ("a", "b", "a_at", "b_at", "words", "boilerplate", "chars")  # a Table's arrays, as FILE keeps them


def word_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the words of a text, as reuse counts words (a hyphenated word is one)."""
    return word_bounds(fold_text(text))


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
    a_at[i] of a's text and b_at[i] of b's, `words[i]` words long; chars[i]:
    its start and end in a's text, then in b's (character offsets, found with
    the passages, so a statement's list slices its texts without reading their words again)."""

    lang: str
    a: np.ndarray
    b: np.ndarray
    a_at: np.ndarray
    b_at: np.ndarray
    words: np.ndarray
    statements: int  # statements with text in the language
    boilerplate_limit: int  # a passage in more statements than this is boilerplate
    boilerplate: np.ndarray  # per document: boilerplate passages left out of its text
    chars: np.ndarray  # (passages, 4): a_start, a_end, b_start, b_end

    def of(self, docnum: int) -> np.ndarray:
        """The passages a statement shares (indices into the arrays)."""
        return np.flatnonzero((self.a == docnum) | (self.b == docnum))


def boilerplate_limit(statements: int) -> int:
    return min(BOILERPLATE_MAX, max(BOILERPLATE_MIN, int(statements * BOILERPLATE_SHARE)))


def table(snap, lang: str) -> Table:
    """The shared passages of the snapshot's commit in one language: those the
    indexer wrote for the commit (FILE), or else found from its columns, once per commit content."""
    kept = snap.kept("reuse", dict)
    reader = snap.searcher.reader()
    key = storage.content_key(reader)
    found = kept.get(key)
    if found is None:
        while len(kept) >= 2:  # (this commit's and the last's)
            kept.pop(next(iter(kept)), None)
        found = kept.setdefault(key, load(_folder(reader), key) or build(reader))
    return found[lang]


def build(reader, pass_shingles: int = PASS_SHINGLES) -> dict[str, Table]:
    """Every language's shared passages among the reader's live statements, found
    about `pass_shingles` shingles at a time (the same passages whatever it is)."""
    size = reader.doc_count_all()
    live = np.zeros(size, bool)
    for leaf, offset in reader.leaf_readers() if size else ():
        if leaf.doc_count_all():
            live[offset + np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True
    return {lang: _build(reader, live, lang, pass_shingles) for lang in S.REUSE}


def save(folder: str | Path, key: tuple, tables: dict[str, Table]) -> None:
    """Writes a commit's tables to FILE in the index directory (replacing the last's at once)."""
    arrays = {"key": np.frombuffer(json.dumps(key).encode(), np.uint8)}
    for lang, t in tables.items():
        for name in _ARRAYS:
            arrays[f"{lang}.{name}"] = getattr(t, name)
        arrays[f"{lang}.counts"] = np.array([t.statements, t.boilerplate_limit], np.int64)
    path = Path(folder) / FILE
    partial = path.with_name(f"{FILE}.{os.getpid()}.tmp")
    try:
        with open(partial, "wb") as f:
            np.savez(f, **arrays)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def load(folder: str | Path | None, key: tuple) -> dict[str, Table] | None:
    """The tables FILE holds, when the indexer wrote them for the commit `key`; else None."""
    if folder is None:
        return None
    try:
        with np.load(Path(folder) / FILE) as data:
            if json.loads(data["key"].tobytes()) != json.loads(json.dumps(key)):
                return None
            tables = {}
            for lang in S.REUSE:
                statements, limit = (int(n) for n in data[f"{lang}.counts"])
                tables[lang] = Table(lang, statements=statements, boilerplate_limit=limit,
                                     **{name: data[f"{lang}.{name}"] for name in _ARRAYS})
            return tables
    except Exception:  # none yet, being replaced, another version's, damaged: found from the columns instead
        return None


def _folder(reader) -> str | None:
    leaves = [leaf for leaf, _ in reader.leaf_readers()] if reader.doc_count_all() else []
    return getattr(getattr(leaves[0], "_storage", None), "folder", None) if leaves else None


def _build(reader, live: np.ndarray, lang: str, pass_shingles: int) -> Table:
    size = reader.doc_count_all()
    boiler = np.zeros(size, np.int32)
    s = _Shingles.of(*column_arrays(reader, S.REUSE[lang]), live)
    limit = boilerplate_limit(s.statements)
    empty = np.zeros(0, np.int32)
    if not s.size:
        return Table(lang, empty, empty, empty, empty, empty, s.statements, limit, boiler, np.zeros((0, 4), np.int32))
    # The shingles are taken a range of hash values at a time (a hash's entries all
    # in one pass), so what a pass sorts and groups stays about `pass_shingles` long.
    passes = min(_NO_PASS, -(-s.size // pass_shingles))
    part = np.empty(s.size, np.uint8)  # each shingle's pass: its hash's top byte's range
    for lo in range(0, s.size, pass_shingles):
        hashes = s.hashes(np.arange(lo, min(lo + pass_shingles, s.size)))
        part[lo:lo + pass_shingles] = (hashes >> np.uint64(56)) * np.uint64(passes) >> np.uint64(8)
    boilerplate = np.zeros(len(part), bool)  # per shingle: its hash is in more than `limit` statements
    candidate = np.zeros(len(part), bool)  # the first of its hash in its statement, the hash in two or more
    for entries in _by_pass(part, passes):
        at, group, first_in_doc, _ = s.grouped(entries)
        in_docs = np.bincount(group, weights=first_in_doc).astype(np.int64)[group]  # (each entry's hash: its statements)
        boilerplate[at[in_docs > limit]] = True
        candidate[at[(in_docs >= 2) & (in_docs <= limit) & first_in_doc]] = True
        del at, group, first_in_doc, in_docs  # (before the next pass's)
    at = np.flatnonzero(boilerplate)
    del boilerplate
    docs, p = s.where(at)
    _count_boilerplate(boiler, s.docnums[docs], p)
    # A passage shares 12 words outside boilerplate: a shingle with a word of one (one
    # starting fewer than PASSAGE_WORDS words from it, in one text) is no match.
    taken = s.word_at(at, docs)  # (ascending)
    at = np.flatnonzero(candidate)
    word = s.word_at(at, s.where(at)[0])
    near = np.searchsorted(taken, word - (PASSAGE_WORDS - 1))  # (the first boilerplate shingle not before)
    touches = near < len(taken)
    touches[touches] = taken[near[touches]] <= word[touches] + PASSAGE_WORDS - 1
    candidate[at[touches]] = False
    np.putmask(part, ~candidate, _NO_PASS)
    del candidate
    # A text repeating a run of words is matched at its first occurrence (the pairs stay linear in it).
    # Only the shingle pairs that start a passage are taken (the pair of the shingles
    # before them is none), then followed shingle by shingle: memory grows with the
    # passages, not with their shingles (a paragraph in 12 statements: 66 pairs, not 66 a word).
    found = []
    for entries in _by_pass(part, passes):
        at, group, _, k = s.grouped(entries)
        found.append(_starts(s, part, at, group, k))
        del at, group, k
    statements = s.statements
    found = _passages(s, part, *(np.concatenate(x) for x in zip(*found)))
    del s, part
    return Table(lang, *found, statements, limit, boiler, _chars(reader, lang, *found))


def _by_pass(part: np.ndarray, passes: int, batch: int = 16):
    """Each pass's entries (where `part` is its number), ascending, pass by pass:
    one scan of `part` finds a batch of passes' (a scan per pass was a tenth of
    the time at a million statements, some 250 passes of 90 million entries)."""
    for k0 in range(0, passes, batch):
        k1 = min(k0 + batch, passes)
        found = np.flatnonzero((part >= k0) & (part < k1))
        numbers = part[found]
        order = np.argsort(numbers, kind="stable")  # (stable: ascending within a pass)
        found, numbers = found[order], numbers[order]
        bounds = np.searchsorted(numbers, np.arange(k0, k1 + 1))
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            yield found[lo:hi]


class _Shingles:
    """A language's shingles in the live statements, end to end in document order
    (entry i: a statement's shingle at one of its words, statements in document
    order, words in text order). Only the words are kept (4 bytes each, where a
    shingle's hash takes 8): a pass works out the hashes of its own shingles."""

    def __init__(self, words, docnums, starts, statements):
        self.words = words  # (uint32) the statements' words' lemma hashes, end to end
        self.docnums = docnums  # (int32) the statements with a shingle
        self.starts = starts  # (int64) where each one's shingles start among all, and the end
        self.size = int(starts[-1])  # shingles
        self.statements = statements  # statements with text in the language

    @classmethod
    def of(cls, data: np.ndarray, offsets: np.ndarray, lengths: np.ndarray, live: np.ndarray) -> _Shingles:
        """From a REUSE column's bytes, each statement's offset and length among them
        (search.exec.texts.column_arrays)."""
        counts = np.where((lengths > 0) & live[:len(lengths)], lengths // 4, -1)
        statements = int(np.count_nonzero(counts >= 0))
        docnums = np.flatnonzero(counts >= PASSAGE_WORDS).astype(np.int32)
        starts = np.zeros(len(docnums) + 1, np.int64)
        np.cumsum(counts[docnums] - (PASSAGE_WORDS - 1), out=starts[1:])
        words = np.empty(int(starts[-1]) + (PASSAGE_WORDS - 1) * len(docnums), np.uint32)
        hashes, at = data.view("<u4"), 0  # (every value is whole 4-byte hashes)
        for first, count in zip((offsets[docnums] // 4).tolist(), counts[docnums].tolist()):
            words[at:at + count] = hashes[first:first + count]
            at += count
        return cls(words, docnums, starts, statements)

    def where(self, at: np.ndarray, k: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Entries' statements (indices into docnums; `k`, when known) and their words' positions in them."""
        if k is None:
            k = np.searchsorted(self.starts, at, side="right") - 1
        return k, (at - self.starts[k]).astype(np.int32)

    def word_at(self, at: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Entries' first words among all statements' words end to end (texts PASSAGE_WORDS or more apart)."""
        return at + (PASSAGE_WORDS - 1) * k

    def hashes(self, at: np.ndarray, k: np.ndarray | None = None) -> np.ndarray:
        """Entries' shingle hashes (as `shingles` makes them); `k`: their statements, when known."""
        word = self.word_at(at, self.where(at)[0] if k is None else k)  # (each shingle's first word)
        out = np.zeros(len(at), np.uint64)
        taken = np.empty(len(at), np.uint32)
        with np.errstate(over="ignore"):
            for _ in range(PASSAGE_WORDS):  # (in place: no new arrays a word)
                np.multiply(out, _MULT, out=out)
                np.add(out, np.take(self.words, word, out=taken), out=out)
                word += 1
        return out

    def grouped(self, at: np.ndarray):
        """Entries (ascending) ordered by hash, then statement and word; each one's
        group (its hash's number among them), whether it is its statement's first
        of the hash, and its statement."""
        k = self.where(at)[0]  # (found in ascending order: a search in hash order jumps about)
        h = self.hashes(at, k)
        order = np.argsort(h, kind="stable")
        at, h, k = at[order], h[order], k[order]
        new_hash = np.ones(len(h), bool)
        new_hash[1:] = h[1:] != h[:-1]
        first_in_doc = new_hash.copy()
        first_in_doc[1:] |= k[1:] != k[:-1]
        return at, np.cumsum(new_hash) - 1, first_in_doc, k


def _chars(reader, lang: str, a, b, a_at, b_at, words) -> np.ndarray:
    """Each passage's character offsets in both texts (a_start, a_end, b_start, b_end)."""
    out = np.zeros((len(a), 4), np.int32)
    if not len(a):
        return out
    data, offsets, lengths = column_arrays(reader, S.TEXT[lang])
    # Each passage's two ends (row, column of out, statement, first word), by
    # statement: each text is read once, and its passages are one slice, not a
    # search of all passages per statement (quadratic: a minute at a million).
    docs, at = np.concatenate((a, b)), np.concatenate((a_at, b_at))
    rows = np.tile(np.arange(len(a)), 2)
    cols = np.repeat(np.array([0, 2]), len(a))
    order = np.argsort(docs, kind="stable")
    cut = np.flatnonzero(np.diff(docs[order])) + 1
    for mine in np.split(order, cut):
        docnum = docs[mine[0]]
        starts, ends = word_spans(decode(data[offsets[docnum]:offsets[docnum] + lengths[docnum]].tobytes()))
        row, col, first = rows[mine], cols[mine], at[mine]
        out[row, col] = starts[first]
        out[row, col + 1] = ends[first + words[row] - 1]
    return out


def _count_boilerplate(boiler: np.ndarray, d: np.ndarray, p: np.ndarray) -> None:
    """Adds each statement's runs of boilerplate shingles (one passage each) to `boiler`."""
    if not len(d):
        return
    order = np.lexsort((p, d))
    d, p = d[order], p[order]
    starts = np.ones(len(d), bool)
    starts[1:] = (d[1:] != d[:-1]) | (p[1:] > p[:-1] + 1)
    np.add.at(boiler, d[starts], 1)


def _starts(s: _Shingles, part: np.ndarray, at: np.ndarray, group: np.ndarray, k: np.ndarray):
    """The (ea, eb) entries of every two candidate shingles of one hash in different
    statements (ea's first: `at` is ascending within a group; `k`, their statements)
    whose shingles before them are no such pair: where passages start."""
    doc, p = s.where(at, k)
    before = at - 1  # (the shingle before, when it is in the same statement and a candidate)
    has_before = p > 0
    has_before[has_before] = part[before[has_before]] != _NO_PASS
    key = np.zeros(len(at), np.uint64)
    key[has_before] = s.hashes(before[has_before])
    cut = np.flatnonzero(np.diff(group)) + 1
    lo, hi = np.concatenate(([0], cut)), np.concatenate((cut, [len(group)]))
    two = lo[hi - lo == 2]  # (the commonest case, taken at once: one shingle in two statements)
    out_i, out_j = [two], [two + 1]
    for first, last in zip(lo[hi - lo > 2].tolist(), hi[hi - lo > 2].tolist()):
        gi, gj = np.triu_indices(last - first, 1)
        out_i.append(gi + first)
        out_j.append(gj + first)
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    start = (doc[i] != doc[j]) & ~(has_before[i] & has_before[j] & (key[i] == key[j]))
    return at[i[start]], at[j[start]]


def _passages(s: _Shingles, part: np.ndarray, ea: np.ndarray, eb: np.ndarray):
    """Each passage starting at the entries (ea, eb): its statements' docnums, its first
    words in them and its length in words, followed while both texts' next shingles
    are candidates of one hash; ordered by statements, diagonal and first word."""
    da, pa = s.where(ea)
    db, pb = s.where(eb)
    end_a, end_b = s.starts[da + 1], s.starts[db + 1]
    runs = np.ones(len(ea), np.int64)
    going, k = np.arange(len(ea)), 1
    while len(going):
        xa, xb = ea[going] + k, eb[going] + k
        ok = (xa < end_a[going]) & (xb < end_b[going])
        ok[ok] = (part[xa[ok]] != _NO_PASS) & (part[xb[ok]] != _NO_PASS)
        ok[ok] = s.hashes(xa[ok]) == s.hashes(xb[ok])
        going = going[ok]
        runs[going] += 1
        k += 1
    a, b = s.docnums[da], s.docnums[db]
    order = np.lexsort((pa, pa.astype(np.int64) - pb, b, a))
    return a[order], b[order], pa[order], pb[order], (runs[order] + PASSAGE_WORDS - 1).astype(np.int32)
