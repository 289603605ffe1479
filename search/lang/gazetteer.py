"""The gazetteer: countries and international organisations named in a text,
in every language of search.lang.table's table, as entity ids (ISO codes such as "AZ"; "org:NATO").

Country names are CLDR's territory names (Babel, each language's `cldr` locale), kept data rather than a
hand-written list; short forms, adjectives, organisations and the homonym
rules are in `search.lang.names`. Names are analysed as the index analyses
text (`search.lang.analysis.word_terms`), so every case form matches, and the
text is read as one stream of words: at each word, the longest name that
starts with one of its lemmas wins. Built once per process, on first use,
outside the analysers (which are pickled into the index).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from search.lang import names as N
from search.lang.analysis import PART_RE, WORD_RE, analysis_language, fold, word_terms
from search.lang.table import LANGUAGE, LANGUAGES, STOP_WORDS_ANY

ORG_PREFIX = "org:"
# Lemmas of parses pymorphy marks as these are a Russian name's own (Чад, not чадо).
_NAME_TAGS = ("Geox", "Orgn", "Abbr")
# What may stand between two words of one name: spaces, dashes, "&", quotes.
_GAP_RE = re.compile(r"[\s\-\u2010-\u2015&'\u2019]*")
_HYPHENS = re.compile("[-\u2010\u2011]")
_SENTENCE_ENDS = ".!?…"
_OPENERS = " \t\"'«»“”„‘’([—–-"


@dataclass(frozen=True)
class Entity:
    """A country or an organisation: its id, its name and every form it is written in, by language."""

    id: str
    names: dict  # language → the name shown ("Azerbaijan", «Азербайджан»)
    forms: dict  # language → tuple of names, short forms and adjectives


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int  # character offsets in the text
    end: int


@dataclass(frozen=True)
class _Entry:
    entity: str | None  # None: a blocked name
    surface: str
    words: tuple  # per word: the frozenset of lemmas it matches
    cases: tuple  # per word: "upper", "capital" or "any"
    rules: tuple  # from names_data.HOMONYMS


class _Token(NamedTuple):  # (a tuple: a statement has thousands)
    surface: str
    folded: str
    keys: frozenset
    start: int
    end: int


def _clean(name: str) -> str:
    """A CLDR display name as statements write it."""
    name = re.sub(r"\s*\(.*?\)", "", name).replace("&", "and")
    name = re.sub(r"\bSt\. ", "Saint ", name)
    name = re.sub(r"\bо-ва\b", "острова", name)
    return re.sub(r"\bо-в\b", "остров", name).strip()


@functools.lru_cache(maxsize=1)
def entities() -> dict[str, Entity]:
    """Every entity by id: the countries of CLDR, then the organisations (no analysis needed)."""
    import babel

    territories = {lang: babel.Locale(LANGUAGE[lang].cldr).territories for lang in LANGUAGES}
    out: dict[str, Entity] = {}
    for code in sorted(territories["en"]):
        if not (len(code) == 2 and code.isalpha()) or code in N.SKIPPED_TERRITORIES:
            continue
        names, forms = {}, {}
        for lang in LANGUAGES:
            cldr = territories[lang].get(code, territories["en"][code])
            shown = N.DISPLAY.get(lang, {}).get(code) or _clean(cldr)
            found = [shown, _clean(cldr), *N.ALIASES.get(code, {}).get(lang, ()),
                     *N.ADJECTIVES.get(code, {}).get(lang, ())]
            names[lang] = shown
            forms[lang] = tuple(dict.fromkeys(f for f in found if " - " not in f))
        out[code] = Entity(code, names, forms)
    for org, by_lang in N.ORGANISATIONS.items():
        out[org] = Entity(org, {lang: (by_lang.get(lang) or by_lang["en"])[0] for lang in LANGUAGES},
                          {lang: tuple(by_lang.get(lang, ())) for lang in LANGUAGES})
    return out


def names(entity_id: str) -> dict[str, str]:
    """An entity's names by language ({} for an unknown id)."""
    found = entities().get(entity_id)
    return dict(found.names) if found else {}


def canonical(value: str) -> str | None:
    """The entity id a filter value stands for: a code ("az" → "AZ"), an
    organisation ("org:nato" → "org:NATO") or a name ("Азербайджан" → "AZ"); None if none."""
    value = value.strip()
    known = entities()
    if value.upper() in known:
        return value.upper()
    if value.lower().startswith(ORG_PREFIX):
        org = ORG_PREFIX + value[len(ORG_PREFIX):].upper()
        return org if org in known else None
    found = gazetteer().whole_name(value)
    return found[0] if len(found) == 1 else None


def mentions(*texts: str, langs=None) -> list[str]:
    """The entities some texts name, each once, sorted; `langs`, one per text,
    are their languages (None: mixed text, each word's letters tell)."""
    g = gazetteer()
    langs = langs or (None,) * len(texts)
    return sorted({m.entity for text, lang in zip(texts, langs) if text for m in g.find(text, lang=lang)})


@functools.lru_cache(maxsize=200_000)
def _word(surface: str, lang: str | None = None) -> tuple[str, frozenset]:
    """A word's folded form and its lemmas in a text of `lang`, once per distinct word form."""
    folded = fold(surface)
    return folded, frozenset(word_terms(folded, False, lang))


def _tokens(text: str, lang: str | None = None) -> list[_Token]:
    """The words of a text as the gazetteer reads them: hyphenated ones in parts."""
    out = []
    for match in WORD_RE.finditer(text):
        word, start = match.group(), match.start()
        if _HYPHENS.search(word) is None:
            out.append(_Token(word, *_word(word, lang), start, match.end()))
            continue
        for part in PART_RE.finditer(word):
            surface = part.group()
            out.append(_Token(surface, *_word(surface, lang), start + part.start(), start + part.end()))
    return out


def _case(word: str) -> str:
    if word.isupper():
        return "upper"
    return "capital" if word[:1].isupper() else "any"


def _name_lemmas(folded: str, lang: str | None = None) -> frozenset:
    """What a name's word in `lang` matches: for a word of a language with a
    dictionary, the lemmas of its parses as a place, an organisation or an
    abbreviation when it has any (Чад, not чадо)."""
    code = analysis_language(folded, lang)
    if code and LANGUAGE[code].morphology:
        from search.lang.analysis import _morph  # (the analyser's own pymorphy3, loaded once)

        own = {p.normal_form.replace("ё", "е") for p in _morph(code).parse(folded)
               if not p.tag.grammemes.isdisjoint(_NAME_TAGS)}  # (a dictionary may lack a tag: uk has no Geox)
        if own:
            return frozenset(own)
    lemmas = frozenset(word_terms(folded, False, lang))
    # A name written as its own lemma is that lemma alone, where the dictionary
    # has no place tag to tell it (uk: «Чад», not «чадо»).
    return frozenset({folded}) if folded in lemmas else lemmas


class Gazetteer:
    """Names as sequences of lemmas, in a dict keyed by each name's first lemma."""

    def __init__(self, found: dict[str, Entity], blocked: dict[str, list[str]]):
        self._first: dict[str, list[_Entry]] = {}
        for entity in found.values():
            for lang in LANGUAGES:
                for form in entity.forms[lang]:
                    self._add(entity.id, form, lang)
        for lang in LANGUAGES:
            for form in blocked.get(lang, ()):
                self._add(None, form, lang)
        for entries in self._first.values():
            entries.sort(key=lambda e: -len(e.words))
        # Words of the longest name: a longer run of a query's words is no one name.
        self.longest = max((len(e.words) for entries in self._first.values() for e in entries), default=0)

    def _add(self, entity: str | None, form: str, lang: str | None = None) -> None:
        tokens = _tokens(form, lang)
        if not tokens:
            return
        rules = N.HOMONYMS.get(form, ())
        words = tuple(frozenset({t.folded}) if "as written" in rules else _name_lemmas(t.folded, lang)
                      for t in tokens)
        entry = _Entry(entity, form, words, tuple(_case(t.surface) for t in tokens), rules)
        for key in words[0]:
            self._first.setdefault(key, []).append(entry)

    def find(self, text: str, query: bool = False, lang: str | None = None) -> list[Mention]:
        """The names in a text of `lang` (None: mixed text), longest first, left to right.
        In a query (`query`) letter case counts only for the names whose homonym rules say so."""
        tokens = _tokens(text, lang)
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            best = None
            for key in tokens[i].keys:
                for entry in self._first.get(key, ()):
                    if best is not None and len(entry.words) <= len(best.words):
                        break
                    if self._fits(entry, tokens, i, text, query):
                        best = entry
                        break
            if best is None:
                i += 1
                continue
            if best.entity is not None:
                out.append(Mention(best.entity, tokens[i].start, tokens[i + len(best.words) - 1].end))
            i += len(best.words)
        return out

    def whole_name(self, text: str) -> list[str]:
        """The entity a query's word or phrase names as a whole ([] when it is not one name)."""
        found = self.find(text, query=True)
        tokens = _tokens(text)
        if len(found) == 1 and tokens and found[0].start == tokens[0].start and found[0].end == tokens[-1].end:
            return [found[0].entity]
        return []

    @staticmethod
    def _fits(entry: _Entry, tokens: list[_Token], i: int, text: str, query: bool) -> bool:
        n = len(entry.words)
        if i + n > len(tokens):
            return False
        strict_case = not query or "query case" in entry.rules
        for j in range(n):
            token = tokens[i + j]
            if not entry.words[j] & token.keys:
                return False
            if "as written" in entry.rules and token.folded != next(iter(entry.words[j])):
                return False
            if strict_case and not _case_fits(entry.cases[j], token.surface):
                return False
            if j and not _joined(tokens[i + j - 1], token, text):
                return False
        if query:
            return True
        if "not at sentence start" in entry.rules and _starts_sentence(text, tokens[i].start):
            return False
        if "not beside a name" in entry.rules and _beside_a_name(tokens, i, n, text):
            return False
        if "not the US state" in entry.rules and _us_state(tokens, i, n):
            return False
        return True


def _case_fits(case: str, surface: str) -> bool:
    if case == "upper":
        return surface.isupper()
    if case == "capital":
        return surface[:1].isupper()
    return True


def _joined(a: _Token, b: _Token, text: str) -> bool:
    """Two words of one name: nothing but spaces, dashes or "&" between them
    (or the full stop of an initial: "U.S.")."""
    gap = text[a.end:b.start]
    if gap == "." and len(a.surface) == 1:
        return True
    return "\n\n" not in gap and _GAP_RE.fullmatch(gap) is not None


def _starts_sentence(text: str, start: int) -> bool:
    k = start - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    return k < 0 or text[k] in _SENTENCE_ENDS or text[k] == "\n"


def _adjacent(a: _Token, b: _Token, text: str) -> bool:
    return text[a.end:b.start] in (" ", "\u00a0")


def _beside_a_name(tokens: list[_Token], i: int, n: int, text: str) -> bool:
    """A capitalised word (not a function word) just before or after: a person's name."""
    def named(t: _Token) -> bool:
        return t.surface[:1].isupper() and t.folded not in STOP_WORDS_ANY

    before = i > 0 and _adjacent(tokens[i - 1], tokens[i], text) and named(tokens[i - 1])
    after = i + n < len(tokens) and _adjacent(tokens[i + n - 1], tokens[i + n], text) and named(tokens[i + n])
    return before or after


def _us_state(tokens: list[_Token], i: int, n: int) -> bool:
    words = [t.folded for t in tokens]
    before = any(tuple(words[max(0, i - len(w)):i]) == w for w in N.US_STATE_BEFORE)
    after = any(tuple(words[i + n:i + n + len(w)]) == w for w in N.US_STATE_AFTER)
    return before or after


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer of this process, analysed on first use."""
    return Gazetteer(entities(), N.BLOCKED)


@functools.lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """Lemmas of words that the longer names of many entities share ("republic",
    «остров»): a match of such a word alone is not the entity's, so it is not marked."""
    shared: dict[str, int] = {}
    for entity in entities().values():
        words = {key for lang in LANGUAGES for form in entity.forms[lang]
                 for token in (_tokens(form, lang) if " " in form else ()) for key in token.keys}
        for key in words:
            shared[key] = shared.get(key, 0) + 1
    return frozenset(key for key, n in shared.items() if n >= 2)


def other_forms(entity_id: str, lang: str) -> tuple[str, ...]:
    """An entity's forms in `lang` that a query may add: all but the homonyms
    whose letter case the index cannot tell ("US" is also "us")."""
    entity = entities().get(entity_id)
    if entity is None:
        return ()
    return tuple(f for f in entity.forms.get(lang, ()) if "not added" not in N.HOMONYMS.get(f, ()))
