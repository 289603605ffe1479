"""Text analysis for English and Russian: tokens, folding, stop words, lemmas.

The analysers are Whoosh analysers built from small filters. They are pickled
into the index with the schema, so the classes here keep a stable import path
and hold no caches: the lemma cache lives at module level.

Pipeline, per language field::

    StatementTokenizer | StopFilter(lang) | MorphFilter

* the tokenizer emits a hyphenated word whole and then its parts, the first
  part at the whole word's position ("нагорно-карабахский" → the compound,
  "нагорно", "карабахский"), so the parts are searchable and phrases still
  line up;
* the tokenizer also folds: it lower-cases, folds ё to е, drops stress
  marks and soft hyphens, and repairs words that mix Latin and Cyrillic
  lookalike letters;
* Russian words become every distinct normal form pymorphy3 gives them
  (homonyms: «стали» → сталь, стать), all at the token's position, save an
  abbreviation written in capitals («ПНИ» → пни, not пень); a query word
  searches only the lemmas of the word it most likely is (see `query_terms`);
  English words become their Snowball stem;
* every word is also indexed as written (folded), as `EXACT` + the word, for
  the exact-form operator (=выборах); these terms add nothing to a field's
  length, and no ordinary query word can be one.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from search.langdata import (
    CYRILLIC_TO_LATIN,
    LATIN_TO_CYRILLIC,
    STOP_WORDS,
    STOP_WORDS_ANY,
)

# A word: letters, digits and combining marks, joined by inner hyphens or
# apostrophes ("Nagorno-Karabakh", "Armenia’s", "из-за").
_WORD_CHARS = r"[\w\u0300-\u036f\u00ad]+"
_JOINERS = "-\u2010\u2011'\u2019\u02bc"
WORD_RE = re.compile(rf"{_WORD_CHARS}(?:[{_JOINERS}]{_WORD_CHARS})*")
PART_RE = re.compile(rf"{_WORD_CHARS}(?:['\u2019\u02bc]{_WORD_CHARS})*")

_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")
_LETTER_RE = re.compile(r"[^\W\d_]")
# Stress marks, other combining accents and the soft hyphen: invisible to a
# reader, so invisible to search.
_INVISIBLE = str.maketrans("", "", "".join(map(chr, range(0x300, 0x370))) + "\u00ad")
# Folding that keeps every character in place, so offsets stay valid.
_FOLD = (("ё", "е"), ("\u2019", "'"), ("\u02bc", "'"), ("\u2010", "-"), ("\u2011", "-"))


def fold_text(text: str) -> str:
    """Lower-case and ё-fold a whole text without moving any character.

    Words may still hold stress marks or mixed scripts; `repair` takes those
    out one word at a time, where it is cheap (see `word_terms`).
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # rare letters that lower-case to two
        lowered = "".join(c.lower()[0] for c in text)
    # A chain of replace() calls: far faster than translate() on long texts.
    for old, new in _FOLD:
        if old in lowered:
            lowered = lowered.replace(old, new)
    return lowered


def repair(word: str) -> str:
    """Drops stress marks and soft hyphens; rewrites lookalike letters of the
    minority script in a word that mixes Latin and Cyrillic."""
    if word.isascii():
        return word
    word = word.translate(_INVISIBLE)
    if _LATIN_RE.search(word) and _CYRILLIC_RE.search(word):
        word = _fix_mixed_script(word)
    return word


def fold(text: str) -> str:
    """Lower-case and fold a word the way the index does (ё→е, no accents)."""
    return repair(fold_text(text))


def _fix_mixed_script(word: str) -> str:
    """Rewrite lookalike letters of the minority script in a mixed word."""
    cyrillic = len(_CYRILLIC_RE.findall(word))
    latin = len(_LATIN_RE.findall(word))
    if cyrillic >= latin:
        fixed = word.translate(LATIN_TO_CYRILLIC)
        return fixed if not _LATIN_RE.search(fixed) else word
    fixed = word.translate(CYRILLIC_TO_LATIN)
    return fixed if not _CYRILLIC_RE.search(fixed) else word


def script(word: str) -> str:
    """Return "ru" for Cyrillic words, "en" for Latin ones, "" otherwise."""
    if _CYRILLIC_RE.search(word):
        return "ru"
    if _LATIN_RE.search(word):
        return "en"
    return ""


def has_letters(word: str) -> bool:
    return _LETTER_RE.search(word) is not None


# --- morphology -----------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _morph():
    # Loading the dictionaries takes a fraction of a second and ~15 MB;
    # do it once per process, on first use.
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


_stemmers = threading.local()


def _english_stem(word: str) -> str:
    # Snowball stemmer objects keep state while stemming: one per thread.
    stemmer = getattr(_stemmers, "en", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _stemmers.en = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


# The prefix of a word's exact-form term ("=выборах"): never a word character,
# so no analysed word is ever such a term.
EXACT = "="
# A query word searches a lemma's paradigm when the dictionary gives that
# reading at least this share of the likeliest lemma's probability.
MIN_READING_SHARE = 0.35


def is_capitalised(written: str) -> bool:
    """A word written in capitals, as abbreviations are (ПНИ, ООН), not one letter."""
    return len(written) > 1 and written.isupper()


def _readings(word: str, capitalised: bool):
    """pymorphy3's readings of a folded Russian word; of a word written in
    capitals, only its readings as an abbreviated noun (`Abbr`) when those are
    the likelier («ПНИ»: the psycho-neurological home, never «пень» or
    «пнуть»; «БАКУ» in a heading stays the city, not the Abbr «бак»)."""
    parses = _morph().parse(word)
    if capitalised:
        abbreviations = [p for p in parses if "Abbr" in p.tag and p.tag.POS == "NOUN"]
        if sum(p.score for p in abbreviations) > sum(p.score for p in parses) / 2:
            return abbreviations
    return parses


@functools.lru_cache(maxsize=500_000)
def word_terms(word: str, capitalised: bool = False) -> tuple[str, ...]:
    """Index terms for one lower-cased word: lemmas, a stem, or the word itself.

    A Russian form is indexed under the lemma of every reading the dictionary
    gives it, however unlikely («выборов» → выборы, выбор), so each lemma's
    every form is found; `capitalised` (the word was written in capitals)
    keeps an abbreviation's lemma alone (see `_readings`).

    Memoised: a corpus repeats its vocabulary, so morphology is paid once per
    distinct word form, not once per occurrence.
    """
    word = repair(word)
    kind = script(word)
    if kind == "ru":
        terms: list[str] = []
        for parse in _readings(word, capitalised):
            lemma = parse.normal_form.replace("ё", "е")
            if lemma not in terms:
                terms.append(lemma)
        return tuple(terms) or (word,)
    if kind == "en":
        return (_english_stem(word),)
    return (word,)


@functools.lru_cache(maxsize=100_000)
def query_terms(word: str, capitalised: bool = False) -> tuple[str, ...]:
    """The terms a query word searches: of a Russian form, the lemmas of the
    words it most likely is, not every reading's paradigm.

    The rule, for a form whose dictionary readings belong to different lemmas:

    1. A word typed in capitals that the dictionary reads mostly as an
       abbreviated noun is that abbreviation («ПНИ»: пни, never «пень»; see
       `_readings`); otherwise its abbreviation readings do not compete with
       its other readings («род» is not «р.», born, nor «РОД»).
    2. Each lemma's probability is the sum of pymorphy3's `score`s of its
       readings (estimated from a disambiguated corpus); a lemma is searched
       when it reaches MIN_READING_SHARE of the likeliest lemma's. «стали» is
       «стать» (0.98), not «сталь»; «данные» is as likely «данные»,
       «данный» or «дать», and searches all three; «судов» is «судно» (0.72)
       and «суд» (0.28) both: ships and courts.
       A plurale tantum noun (`Pltm`) and the count noun whose plural it
       shares are told apart the same way: «выборы» (0.85 against 0.15),
       «выборами» (0.75 against 0.25) are «выборы» (elections), whose forms
       are all plural (выборов, выборах…), not «выбор» (choice), so not
       «выбору»; «часы» (0.67 against 0.33) is the clock and the hours.
       (The tag alone does not decide: «духи» is «дух» at 0.8, perfume at 0.2.)
    3. A word typed in a lemma's dictionary form searches that lemma too,
       however rare the dictionary thinks the reading («весть» is «весть» as
       well as the archaic «ведать»).

    No form is lost: the index keeps every lemma of every form (`word_terms`),
    so the lemmas searched are among the typed form's own and every statement
    holding the form itself is found; a lemma searched finds all its forms
    («выбор» finds its singular and the plural forms it shares with «выборы»,
    which only the context tells apart).
    """
    word = repair(word)
    if script(word) != "ru":
        return word_terms(word, capitalised)
    readings = _readings(word, capitalised)
    lemmas = [p.normal_form.replace("ё", "е") for p in readings]
    weighed = [(lemma, p) for lemma, p in zip(lemmas, readings) if "Abbr" not in p.tag]
    if not weighed:  # (an abbreviation, as `_readings` reads a capitalised one)
        weighed = list(zip(lemmas, readings))
    likelihood: dict[str, float] = {}
    for lemma, p in weighed:
        likelihood[lemma] = likelihood.get(lemma, 0.0) + p.score
    if not likelihood:
        return (word,)
    best = max(likelihood.values())
    chosen = [lemma for lemma, p in likelihood.items() if p >= best * MIN_READING_SHARE]
    if word in lemmas and word not in chosen:
        chosen.append(word)
    return tuple(chosen)


def exact_term(word: str) -> str:
    """The term of a word form as written (folded): what =word searches."""
    return EXACT + repair(word)


def index_terms(word: str, capitalised: bool = False) -> tuple[str, ...]:
    """What the indexer writes for a word: its `word_terms`, then its exact form."""
    return (_capitalised_index_terms if capitalised else _index_terms)(word)


# (One cache for each case: a one-argument cache is keyed on the word itself, the fastest.)
@functools.lru_cache(maxsize=500_000)
def _index_terms(word: str) -> tuple[str, ...]:
    return (*word_terms(word), exact_term(word))


@functools.lru_cache(maxsize=50_000)
def _capitalised_index_terms(word: str) -> tuple[str, ...]:
    return (*word_terms(word, True), exact_term(word))


def is_dictionary_word(word: str) -> bool:
    """True for a Russian word in pymorphy3's dictionary: spelt as meant, however
    rare in the corpus («австрии» is not a typo of the commoner «аварии»)."""
    return script(word) == "ru" and _morph().word_is_known(word)


def lemma_cache_info():
    """Hit and miss counts of the lemma cache (for benchmarks)."""
    return word_terms.cache_info()


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
    """Replaces each word by its lemmas (Russian) or stem (English).

    Indexing (mode "index"), every distinct lemma is emitted at the word's
    position and offsets, then the word's exact-form term; a query (mode
    "query") gets the lemmas `query_terms` chooses, mode "exact" the
    exact-form term alone, and any other mode the lemmas alone.
    """

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.stopped:
                yield t
                continue
            word, capitalised = t.text, getattr(t, "capitalised", False)
            if t.mode == "index":
                terms: tuple[str, ...] = index_terms(word, capitalised)
            elif t.mode == "query":
                terms = query_terms(word, capitalised)
            elif t.mode == "exact":
                terms = (exact_term(word),)
            else:
                terms = word_terms(word, capitalised)
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
        super().__init__(StatementTokenizer(), StopFilter(lang), MorphFilter())
        self.lang = lang

    def term_postings(self, value: str) -> dict[str, list[tuple[int, int, int]]]:
        """Each index term of a text → its (position, start char, end char)
        occurrences, as the token chain gives them in index mode."""
        stops = _stops(self.lang)
        position = _GapClosing()
        postings: dict[str, list[tuple[int, int, int]]] = {}
        lower, capitals = _index_terms, _capitalised_index_terms
        for text, pos, start, end in word_spans(fold_text(value)):
            if text in stops:
                continue
            occurrence = (position(pos), start, end)
            # (most words start in lower case: one character tells)
            if value[start].isupper() and end - start > 1 and value[start:end].isupper():
                terms = capitals(text)
            else:
                terms = lower(text)
            for term in terms:
                seen = postings.get(term)
                if seen is None:
                    postings[term] = [occurrence]
                else:
                    seen.append(occurrence)
        return postings


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
