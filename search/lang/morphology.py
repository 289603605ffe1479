"""A word's terms in a language of search.lang.table's table: pymorphy3's lemmas
(Russian, Ukrainian; a query word: the readings it most likely is; a word in
capitals: its abbreviation), a Snowball stem (English), and its exact form
(=word). Memoised at module level: the analysers pickled into the index hold
no caches."""

from __future__ import annotations

import functools
import threading

from search.lang.folding import repair, script, word_language, word_script
from search.lang.table import LANGUAGE, LANGUAGE_TABLE, SCRIPT_DEFAULT


@functools.lru_cache(maxsize=None)
def _morph(lang: str = "ru"):
    """The pymorphy3 analyser of a language's dictionary (Russian by default)."""
    # Loading a dictionary takes a fraction of a second and ~15 MB;
    # do it once per process, on first use.
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=LANGUAGE[lang].morphology)


_stemmers = threading.local()


def _stem(word: str, algorithm: str) -> str:
    # Snowball stemmer objects keep state while stemming: one per thread.
    stemmer = getattr(_stemmers, algorithm, None)
    if stemmer is None:
        import snowballstemmer

        stemmer = snowballstemmer.stemmer(algorithm)
        setattr(_stemmers, algorithm, stemmer)
    return stemmer.stemWord(word)


@functools.lru_cache(maxsize=200_000)
def stem(word: str, algorithm: str) -> str:
    """A word's Snowball stem by `algorithm` ("english", "russian"), kept: ranking
    asks for the stems of the same corpus words again and again."""
    return _stem(word, algorithm)


def _english_stem(word: str) -> str:
    return _stem(word, "english")


def analysis_language(word: str, lang: str | None = None) -> str:
    """The language whose analysis a repaired word gets in a field of `lang`:
    `lang` itself for a word of its script, else the default language of the
    word's script (a Latin word in the Russian text is English); in mixed text
    (`lang` None, titles) the language its letters tell (`word_language`);
    "" for a word of no script we read."""
    kind = word_script(word)
    if not kind:
        return ""
    if lang is None:
        return word_language(word)
    return lang if LANGUAGE[lang].script == kind else SCRIPT_DEFAULT[kind]


def field_key(lang: str | None) -> str | None:
    """The language whose analysis gives the same terms as a field of `lang`
    for every word: the fields of the scripts' default languages (English,
    Russian) analyse alike, so they share the first's caches."""
    if lang is not None and SCRIPT_DEFAULT[LANGUAGE[lang].script] == lang:
        return LANGUAGE_TABLE[0].code
    return lang


# The prefix of a word's exact-form term ("=выборах"): never a word character,
# so no analysed word is ever such a term.
EXACT = "="
# A query word searches a lemma's paradigm when the dictionary gives that
# reading at least this share of the likeliest lemma's probability.
MIN_READING_SHARE = 0.35


def is_capitalised(written: str) -> bool:
    """A word written in capitals, as abbreviations are (ПНИ, ООН), not one letter."""
    return len(written) > 1 and written.isupper()


def _readings(word: str, capitalised: bool, lang: str = "ru"):
    """pymorphy3's readings of a folded Russian word; of a word written in
    capitals, only its readings as an abbreviated noun (`Abbr`) when those are
    the likelier («ПНИ»: the psycho-neurological home, never «пень» or
    «пнуть»; «БАКУ» in a heading stays the city, not the Abbr «бак»)."""
    parses = _morph(lang).parse(word)
    if capitalised:
        abbreviations = [p for p in parses if "Abbr" in p.tag and p.tag.POS == "NOUN"]
        if sum(p.score for p in abbreviations) > sum(p.score for p in parses) / 2:
            return abbreviations
    return parses


def word_terms(word: str, capitalised: bool = False, lang: str | None = None) -> tuple[str, ...]:
    """Index terms for one lower-cased word in a field of `lang` (None: mixed
    text), in the language `analysis_language` says: lemmas, a stem, or the word itself.

    A Russian form is indexed under the lemma of every reading the dictionary
    gives it, however unlikely («выборов» → выборы, выбор), so each lemma's
    every form is found; `capitalised` (the word was written in capitals)
    keeps an abbreviation's lemma alone (see `_readings`).

    Memoised: a corpus repeats its vocabulary, so morphology is paid once per
    distinct word form, not once per occurrence (and once for the fields that analyse alike).
    """
    return _word_terms(word, capitalised, field_key(lang))


@functools.lru_cache(maxsize=500_000)
def _word_terms(word: str, capitalised: bool, lang: str | None) -> tuple[str, ...]:
    word = repair(word)
    code = analysis_language(word, lang)
    if not code:
        return (word,)
    language = LANGUAGE[code]
    if language.morphology:
        terms: list[str] = []
        for parse in _readings(word, capitalised, code):
            lemma = parse.normal_form.replace("ё", "е")
            if lemma not in terms:
                terms.append(lemma)
        return tuple(terms) or (word,)
    if language.stemmer:
        return (_stem(word, language.stemmer),)
    return (word,)


@functools.lru_cache(maxsize=100_000)
def query_terms(word: str, capitalised: bool = False, lang: str | None = None) -> tuple[str, ...]:
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
    code = analysis_language(word, lang)
    if not code or not LANGUAGE[code].morphology:
        return word_terms(word, capitalised, lang)
    readings = _readings(word, capitalised, code)
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


def index_terms(word: str, capitalised: bool = False, lang: str | None = None) -> tuple[str, ...]:
    """What the indexer writes for a word: its `word_terms`, then its exact form."""
    lower, capitals = index_functions(lang)
    return (capitals if capitalised else lower)(word)


@functools.lru_cache(maxsize=None)
def index_functions(lang: str | None):
    """(lower-case word → its index terms, word in capitals → its index terms)
    for a field of `lang`, memoised; fields that analyse alike share them.
    (One cache for each case: a one-argument cache is keyed on the word itself, the fastest.)"""
    key = field_key(lang)
    if key != lang:
        return index_functions(key)

    @functools.lru_cache(maxsize=500_000)
    def lower(word: str) -> tuple[str, ...]:
        return (*word_terms(word, False, key), exact_term(word))

    @functools.lru_cache(maxsize=50_000)
    def capitals(word: str) -> tuple[str, ...]:
        return (*word_terms(word, True, key), exact_term(word))

    return lower, capitals


_index_terms, _capitalised_index_terms = index_functions("en")  # (the English and Russian fields')


def is_dictionary_word(word: str, lang: str | None = None) -> bool:
    """True for a word in the pymorphy3 dictionary of its script's default
    language (Russian) or of `lang`: spelt as meant, however rare in the corpus
    («австрии» is not a typo of the commoner «аварии»)."""
    code = analysis_language(word, lang or script(word) or None)
    return bool(code) and LANGUAGE[code].morphology is not None and _morph(code).word_is_known(word)


def lemma_cache_info():
    """Hit and miss counts of the lemma cache (for benchmarks)."""
    return _word_terms.cache_info()
