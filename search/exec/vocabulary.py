"""The corpus's own word forms: prefix and fuzzy expansion, spelling corrections.

Words come from the vocabulary index the indexer keeps beside the statements
(see `schema.VOCABULARY_INDEX`), read once per commit into a sorted list;
how common a word is comes from the statements themselves, through the terms
it analyses to.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from search.exec.postings import segment_id

from whoosh.spelling import ListCorrector

from search import schema as S
from search.exec import storage
from search.lang.analysis import is_dictionary_word, is_stop_word, script, word_terms
from search.lang.folding import word_script
from search.lang.table import script_languages
from search.lang.correction import MAX_CORRECTED, candidates, max_edits, slip_cost

# Candidates looked at, at most, when ranking a prefix's or a fuzzy word's words by frequency.
MAX_CANDIDATES = 5000
# Statements a word must occur in to be taken as spelt as meant.
WELL_KNOWN = 5


class GrowingWordList:
    """The vocabulary index's words, sorted, brought up to date commit by commit.

    The vocabulary only grows, one document of new words per commit, so a
    commit's list is the previous one with the words of its new documents
    merged in: only new segments are read, and the merge copies the runs
    between the new words' places, where sorting every word again cost about
    90 ms at 80,000 words. Documents are known by their text's length and hash; when the
    previous documents are not all still there (a rebuild trimmed the
    vocabulary), the list is made afresh.
    """

    def __init__(self):
        self._segments: dict[str, list[tuple]] = {}  # segment id → its documents' keys
        self._latest: tuple[frozenset, list[str]] | None = None  # (document keys, their words)

    def words(self, reader) -> list[str]:
        """Every word the vocabulary index `reader` reads holds, sorted (not to be changed:
        the same list may be returned again)."""
        texts: dict[tuple, str] = {}
        segments = {}
        for leaf, _ in reader.leaf_readers():
            name = segment_id(leaf)
            keys = self._segments.get(name)
            if keys is None:
                keys = []
                for stored in leaf.all_stored_fields():
                    text = stored.get(S.WORDS, "")
                    key = (len(text), hash(text))
                    texts[key] = text
                    keys.append(key)
            segments[name] = keys
        self._segments = segments
        held = frozenset(key for keys in segments.values() for key in keys)
        known, words = self._latest or (frozenset(), None)
        added = held - known
        if words is not None and known <= held and added <= texts.keys():  # (only new documents)
            new = {w for key in added for w in texts[key].split("\n")} - {""}
            words = _merged(words, sorted(w for w in new if not _contains(words, w)))
        elif held <= texts.keys():  # (every document was read just now: the first list)
            words = sorted({w for key in held for w in texts[key].split("\n")} - {""})
        else:
            words = storage.vocabulary_words(reader)
        self._latest = (held, words)
        return words


def _merged(words: list[str], fresh: list[str]) -> list[str]:
    """A new sorted list of `words` and `fresh` (sorted, none in `words`): the
    runs between insertion points are copied whole, without comparing them."""
    if not fresh:
        return words
    if len(fresh) > len(words) // 64:
        return sorted(words + fresh)
    out, start = [], 0
    for word in fresh:
        at = bisect_left(words, word, start)
        out += words[start:at]
        out.append(word)
        start = at
    out += words[start:]
    return out


def _contains(words: list[str], word: str) -> bool:
    i = bisect_left(words, word)
    return i < len(words) and words[i] == word


class WordList:
    """The vocabulary's words, sorted, with how often the statements use each."""

    def __init__(self, words, reader, related: dict | None = None, segments=None):
        """`words`: the vocabulary, sorted, or a function that gives it when
        first needed (most searches expand no word); `reader`: of the statements
        index; `related`: where its commit keeps each word's related words;
        `segments`: the process's per-segment store (search.exec.postings.PostingsCache)."""
        self._words = words
        self.reader = reader
        self.related = {} if related is None else related
        self._segments = segments

    def each_segment(self, key: tuple, walk) -> list[list[str]]:
        """walk(segment reader), a list of words, for each segment of the
        statements index, kept per segment under `key` (a segment never changes)."""
        out = []
        for leaf, _ in self.reader.leaf_readers():
            if self._segments is None:
                out.append(walk(leaf))
            else:
                out.append(self._segments.get((segment_id(leaf), "words") + key, lambda leaf=leaf: np.array(
                    walk(leaf), dtype=str)).tolist())
        return out

    @property
    def words(self) -> list[str]:
        if callable(self._words):
            self._words = self._words()
        return self._words

    def __contains__(self, word: str) -> bool:
        return _contains(self.words, word)

    def frequency(self, word: str) -> int:
        """In how many statements the word occurs in some form (an estimate)."""
        if is_stop_word(word):
            return 0
        # In each body of the word's script's languages, as that language analyses it.
        langs = script_languages(word_script(word)) or (script(word) or "en",)
        return max(
            (max(self.reader.doc_frequency(S.BODY[lang], t), self.reader.doc_frequency(S.TITLE, t))
             for lang in langs for t in word_terms(word, False, lang)),
            default=0,
        )

    def prefix_words(self, prefix: str, limit: int) -> list[str]:
        """The most frequent words that start with `prefix`."""
        start = bisect_left(self.words, prefix)
        found = []
        for word in self.words[start:start + MAX_CANDIDATES]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return self._most_frequent(found, limit)

    def similar_words(self, word: str, maxdist: int, limit: int) -> list[str]:
        """Words within `maxdist` edits of `word` (first letter kept), most frequent first."""
        if maxdist <= 0 or len(word) > MAX_CORRECTED:
            return [word] if word in self else []
        found = ([word] if word in self else []) + self.neighbours(word, maxdist)
        return self._most_frequent(found, limit)

    def neighbours(self, word: str, maxdist: int, limit: int = MAX_CANDIDATES) -> list[str]:
        """Other words within `maxdist` edits that share the first letter."""
        return ListCorrector(self.words).suggest(word, limit=limit, maxdist=maxdist, prefix=1)

    def _most_frequent(self, words: list[str], limit: int) -> list[str]:
        if len(words) <= limit:
            return words
        return sorted(words, key=lambda w: (-self.frequency(w), w))[:limit]

    def correction(self, word: str) -> str | None:
        """A more frequent word within `max_edits(word)` edits, for "did you mean".

        A word several statements use, or a Russian dictionary word, is taken
        as meant: looking for its neighbours in a large vocabulary is the slow
        part of a suggestion, and a rare real word is no typo.
        """
        if is_dictionary_word(word):
            return None
        own = self.frequency(word)
        if own >= WELL_KNOWN:
            return None
        return self.best_spelling(word, lambda freq: freq > own)

    def autocorrection(self, word: str) -> str | None:
        """The spelling meant by a word no statement uses, or None: a word of
        the vocabulary or a Russian dictionary word is left as typed."""
        if word in self or is_dictionary_word(word) or self.frequency(word) > 0:
            return None
        return self.best_spelling(word, lambda freq: freq > 0)

    def best_spelling(self, word: str, enough) -> str | None:
        """The best of the words within `max_edits(word)` edits whose frequency
        is `enough`: nearest, then a known word, then the likeliest slip, then
        the most used (see search.lang.correction)."""
        for edits in range(1, max_edits(word) + 1):
            ranked = []
            for candidate, dist in candidates(word, self, edits):
                freq = self.frequency(candidate)
                if enough(freq):
                    slip = slip_cost(word, candidate) if dist == 1 else dist
                    ranked.append((not self._known(candidate, freq), slip, -freq, candidate))
            if ranked:
                return min(ranked)[-1]
        return None

    @staticmethod
    def _known(word: str, freq: int) -> bool:
        """A Russian dictionary word, or an English word many statements use."""
        kind = script(word)
        return is_dictionary_word(word) if kind == "ru" else kind == "en" and freq >= WELL_KNOWN
