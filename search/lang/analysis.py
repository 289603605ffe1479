"""Text analysis for the languages of search.lang.table's table: tokens, folding, stop words, lemmas.

The analysers are Whoosh analysers built from small filters. They are pickled
into the index with the schema, so the classes here keep a stable import path
and hold no caches: folding is search/lang/folding.py's, a word's terms (and their
caches) search/lang/morphology.py's.

Pipeline, per language field::

    StatementTokenizer | StopFilter(lang) | MorphFilter

* the tokenizer emits a hyphenated word whole and then its parts, the first
  part at the whole word's position ("нагорно-карабахский" → the compound,
  "нагорно", "карабахский"), so the parts are searchable and phrases still
  line up;
* the tokenizer also folds: it lower-cases, folds ё to е, drops stress
  marks and soft hyphens, and repairs words that mix Latin and Cyrillic
  lookalike letters;
* a word is analysed in its field's language when it is of that language's
  script, else in its script's default language (a Latin word in a Russian
  text is English; in titles, mixed text, the language its letters tell:
  `analysis_language`): Russian and Ukrainian words become every distinct
  normal form their pymorphy3 dictionary gives them (homonyms: «стали» →
  сталь, стать), all at the token's position, save an abbreviation written
  in capitals («ПНИ» → пни, not пень); a query word searches only the lemmas
  of the word it most likely is (see `query_terms`); English words become
  their Snowball stem;
* every word is also indexed as written (folded), as `EXACT` + the word, for
  the exact-form operator (=выборах); these terms add nothing to a field's
  length, and no ordinary query word can be one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from search.lang.table import STOP_WORDS, STOP_WORDS_ANY
# Folding and a word's terms live in their own modules; the analysers' users
# import them from here too.
from search.lang.folding import (  # noqa: F401
    PART_RE, WORD_RE, fold, fold_text, has_letters, repair, script,
)
from search.lang.morphology import (  # noqa: F401
    EXACT, MIN_READING_SHARE, _capitalised_index_terms, _english_stem, _index_terms, _morph,
    analysis_language, exact_term, index_functions, index_terms, is_capitalised, is_dictionary_word,
    lemma_cache_info, query_terms, word_terms,
)


def _stops(lang: str | None) -> frozenset[str]:
    """The stop words of a language field; of both for mixed text (titles)."""
    return STOP_WORDS[lang] if lang else STOP_WORDS_ANY


def is_stop_word(word: str, lang: str | None = None) -> bool:
    """True if the folded word is a stop word in `lang` (or in any language)."""
    return word in _stops(lang)


# --- Whoosh analysis components ------------------------------------------


class StatementTokenizer(Tokenizer):
    """Folded words with their hyphenated parts; keeps positions and offsets.

    "Нагорно-Карабахский регион" gives the compound and "нагорно" at
    position 0, "карабахский" at 1 and "регион" at 2, so both the compound
    and its parts match, alone or in phrases. Words come out lower-cased and
    ё-folded (see `fold_text`); offsets point into the original text.
    """

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = value
            t.text = fold(value)
            t.capitalised = is_capitalised(value)
            t.boost = 1.0
            t.pos = start_pos
            t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        # Folded once for the whole text; offsets are unchanged by folding.
        for text, pos, start, end in word_spans(fold_text(value), start_pos):
            t.text = text
            t.capitalised = is_capitalised(value[start:end])
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


def word_spans(folded: str, pos: int = 0) -> Iterator[tuple[str, int, int, int]]:
    """(word, position, start, end) of each word of a folded text; a hyphenated
    word comes whole, then its parts, the first at the whole word's position."""
    for match in WORD_RE.finditer(folded):
        word = match.group()
        start = match.start()
        yield word, pos, start, match.end()
        if "-" not in word:
            pos += 1
            continue
        for part in PART_RE.finditer(word):
            yield part.group(), pos, start + part.start(), start + part.end()
            pos += 1


class _GapClosing:
    """Positions for the words kept when stop words are dropped: consecutive,
    and shared by words that shared one (a compound and its first part)."""

    __slots__ = ("last_in", "last_out")

    def __init__(self):
        self.last_in = None  # original position of the last kept word
        self.last_out = 0  # the position given to it

    def __call__(self, pos: int) -> int:
        if pos != self.last_in:
            self.last_out = pos if self.last_in is None else self.last_out + 1
            self.last_in = pos
        return self.last_out


class StopFilter(Filter):
    """Drops stop words and closes the gaps they leave in positions.

    Unlike Whoosh's own StopFilter it keeps tokens that share a position
    (a compound and its first part) at one position.
    """

    def __init__(self, lang: str | None = None):
        self.lang = lang

    def __eq__(self, other):
        return type(self) is type(other) and self.lang == other.lang

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        stops = _stops(self.lang)
        position = _GapClosing()
        for t in tokens:
            if t.text in stops:
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            if t.positions:
                t.pos = position(t.pos)
            yield t


class MorphFilter(Filter):
    """Replaces each word by its lemmas (Russian, Ukrainian) or stem (English),
    as its field's language (`lang`; None: mixed text) analyses it.

    Indexing (mode "index"), every distinct lemma is emitted at the word's
    position and offsets, then the word's exact-form term; a query (mode
    "query") gets the lemmas `query_terms` chooses, mode "exact" the
    exact-form term alone, and any other mode the lemmas alone.
    """

    def __init__(self, lang: str | None = None):
        self.lang = lang

    def __eq__(self, other):
        return type(self) is type(other) and getattr(self, "lang", None) == getattr(other, "lang", None)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        lang = getattr(self, "lang", None)
        lower, capitals = index_functions(lang)
        for t in tokens:
            if t.stopped:
                yield t
                continue
            word, capitalised = t.text, getattr(t, "capitalised", False)
            if t.mode == "index":
                terms: tuple[str, ...] = (capitals if capitalised else lower)(word)
            elif t.mode == "query":
                terms = query_terms(word, capitalised, lang)
            elif t.mode == "exact":
                terms = (exact_term(word),)
            else:
                terms = word_terms(word, capitalised, lang)
            for term in terms:
                t.text = term
                yield t


class LetterWordsFilter(Filter):
    """Keeps only tokens with at least one letter (drops bare numbers)."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            if has_letters(t.text):
                yield t


class LanguageAnalyzer(CompositeAnalyzer):
    """``StatementTokenizer | StopFilter(lang) | MorphFilter``, with a fused path
    for indexing.

    Indexing a statement runs three chained generators and sets five token
    attributes per word, which costs more than the morphology once the lemma
    cache is warm. `term_postings` does the same work with the same pieces
    (`word_spans`, the stop words' gap closing, `word_terms`) in one loop,
    without tokens; the token chain stays for queries and anything else that
    wants tokens, and a test holds the two to the same output.
    """

    def __init__(self, lang: str | None):
        super().__init__(StatementTokenizer(), StopFilter(lang), MorphFilter(lang))
        self.lang = lang

    def __call__(self, value, **kwargs):
        given = getattr(value, "postings", None)  # already analysed (search.analysed.AnalysedText)
        if given is not None and kwargs.get("mode") == "index":
            return _given_tokens(given, **kwargs)
        return super().__call__(value, **kwargs)

    def term_postings(self, value: str, title: bool = False) -> dict[str, list[tuple[int, int, int]]]:
        """Each index term of a text → its (position, start char, end char)
        occurrences, as the token chain gives them in index mode (`title`: a
        word's capitals told as the title's chain tells them).

        This is the one place a text becomes its analysed terms for the index
        (the postings are encoded from it, see `search.schema.OffsetPostings`
        and `TitlePostings`); a text already analysed
        (`search.analysed.AnalysedText`) gives its own."""
        given = getattr(value, "postings", None)
        if given is not None:
            return given
        return self._postings(value, title)

    def term_positions(self, value: str) -> dict[str, list[int]]:
        """Each index term of a text → its positions, exactly as the token chain
        gives them in index mode (the title's postings)."""
        return {term: [occurrence[0] for occurrence in found]
                for term, found in self.term_postings(value, title=True).items()}

    def _postings(self, value: str, as_chain: bool) -> dict[str, list[tuple[int, int, int]]]:
        # `as_chain`: a word is in capitals as `is_capitalised` says; else as
        # the body fields have always been indexed (a word whose first
        # character is no capital letter, "5G", is in lower case).
        stops = _stops(self.lang)
        position = _GapClosing()
        postings: dict[str, list[tuple[int, int, int]]] = {}
        lower, capitals = index_functions(self.lang)
        for text, pos, start, end in word_spans(fold_text(value)):
            if text in stops:
                continue
            occurrence = (position(pos), start, end)
            # (most words start in lower case: one character tells)
            if as_chain:
                capitalised = is_capitalised(value[start:end])
            else:
                capitalised = value[start].isupper() and end - start > 1 and value[start:end].isupper()
            terms = capitals(text) if capitalised else lower(text)
            for term in terms:
                seen = postings.get(term)
                if seen is None:
                    postings[term] = [occurrence]
                else:
                    seen.append(occurrence)
        return postings


def _given_tokens(postings, positions=False, chars=False, mode="", **kwargs) -> Iterator[Token]:
    """The tokens of term postings made before, in position order."""
    t = Token(positions, chars, mode=mode, **kwargs)
    for pos, start, end, term in sorted((*o, term) for term, occ in postings.items() for o in occ):
        t.text, t.pos, t.startchar, t.endchar, t.boost, t.stopped = term, pos, start, end, 1.0, False
        yield t


def language_analyzer(lang: str | None) -> LanguageAnalyzer:
    """The analyser of a language's body field; None for mixed text (titles)."""
    return LanguageAnalyzer(lang)


def surface_analyzer():
    """Folded word forms without morphology: spelling, prefixes, fuzzy terms."""
    return StatementTokenizer() | LetterWordsFilter()


def word_forms(*texts: str) -> set[str]:
    """The distinct word forms of some texts, lower-cased and ё-folded, as
    they stand (not yet `repair`ed): one regular-expression pass, no analysis."""
    return set(WORD_RE.findall(fold_text("\n".join(texts))))


def clean_words(forms) -> set[str]:
    """Word forms as the vocabulary keeps them: repaired, with letters, and
    with the parts of hyphenated words."""
    words = {repair(form) for form in forms if not form.isdigit()}
    words = {w for w in words if has_letters(w)}
    for word in [w for w in words if "-" in w]:
        words.update(p for p in PART_RE.findall(word) if has_letters(p))
    return words


def surface_words(*texts: str) -> set[str]:
    """The words of some texts as the vocabulary keeps them."""
    return clean_words(word_forms(*texts))


def query_positions(analyzer, text: str, exact: bool = False) -> list[list[str]]:
    """Analyse query text into positions, each a list of alternative terms.

    "выборов в регионе" → [["выборы"], ["регион"]]; with `exact`, each word's
    exact-form term: [["=выборов"], ["=регионе"]].
    """
    slots: dict[int, list[str]] = {}
    for t in analyzer(text, positions=True, mode="exact" if exact else "query"):
        alts = slots.setdefault(t.pos, [])
        if t.text not in alts:
            alts.append(t.text)
    return [slots[p] for p in sorted(slots)]
