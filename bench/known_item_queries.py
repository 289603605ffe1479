"""Known-item queries made from an index: the four kinds bench/known_items.py
measures (its docstring describes them), with a fixed seed, kept only when
they find their statement among others and can tell it apart."""

from __future__ import annotations

import functools
import random
import re

from search.lang.analysis import WORD_RE, _morph, fold, is_dictionary_word, is_stop_word, script, word_terms
from search.engine import SearchIndex
from search.lang.gazetteer import gazetteer

KINDS = ("words", "phrase", "title", "name")
GENERIC_TITLES = ("ungdc",)  # sets whose titles are a country and a session, not the statement's own
ROUNDS = 3  # queries of one kind a statement may give, at most
PHRASE = (3, 6)  # words in a remembered phrase
PHRASE_RARE = 50  # a phrase holds a word found in at most this many statements
NAME_COUNT = (2, 150)  # a name: in this many statements
# A country's short name: "United Republic of Tanzania" → "Tanzania".
SHORT_NAME = re.compile(r"^(?:[\w-]+ )*?(?:Republic|Kingdom|State|Federation|Principality|"
                        r"Commonwealth|Union|Sultanate|Emirates) of (?:the )?")
# Kinds whose query is kept when another statement holds all its words in one
# paragraph (for words and name, such a query cannot tell its statement apart).
SINGLED_OUT = ("phrase", "title")
PASSAGE = 1000  # characters: what counts as a paragraph in a text without breaks
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
MIN_LENGTH = 6
RARE = (2, 25)  # a distinctive word: in this many statements, bounds included
MIN_FOUND = 2  # a query must find its statement and at least one other
SEED = "statements-known-items"
# Russian forms no one types for a word remembered: degrees of comparison, the
# first and second persons, variant and archaic spellings; a name keeps its number.
UNTYPED = frozenset({"Supr", "Cmp2", "COMP", "1per", "2per", "V-be", "V-en", "V-ie", "V-bi", "V-ey", "V-oy",
                     "V-ej", "V-sh", "V-ez", "Infr", "Arch", "Erro", "Dist", "impr"})
PROPER = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn"})
ENGLISH_ENDINGS = ("", "s", "es", "ies", "e", "ed", "d", "ing", "ion", "ions", "ly", "al", "y")



def source(doc_id: str) -> str:
    """The set a statement comes from: ungdc, meduza, seed, news…"""
    return doc_id.split("/", 1)[0]


def other_form(word: str, words, rng: random.Random) -> str | None:
    """`word` in another inflection with the same index terms, or None: for
    English, an ending that gives a word of `words` (the corpus's)."""
    if script(word) == "ru":
        parse = _morph().parse(word)[0]
        proper = bool(PROPER & parse.tag.grammemes)
        forms = sorted({f.word.replace("ё", "е") for f in parse.lexeme
                        if f.tag.POS == parse.tag.POS and not UNTYPED & f.tag.grammemes
                        and (not proper or f.tag.number == parse.tag.number)} - {word})
        forms = [f for f in forms if set(word_terms(f)) & set(word_terms(word))]
        return rng.choice(forms) if forms else None
    stem = word_terms(word)[0]
    bases = {word, word[:-1], word[:-2], word[:-3], stem}
    forms = sorted({b + end for b in bases for end in ENGLISH_ENDINGS} - {word})
    forms = [f for f in forms if f in words and word_terms(f)[0] == stem]
    return rng.choice(forms) if forms else None


def passages(text: str) -> list[str]:
    """The text's paragraphs, a long one cut into runs of whole sentences of
    about PASSAGE characters (a Meduza article is one line of 10,000)."""
    out = []
    for paragraph in text.split("\n"):
        chunk = ""
        for sentence in SENTENCE_END.split(paragraph):
            if chunk and len(chunk) + len(sentence) > PASSAGE:
                out.append(chunk)
                chunk = ""
            chunk = f"{chunk} {sentence}" if chunk else sentence
        out.append(chunk)
    return out


def make(index: SearchIndex, per_lang: int, prefixes: tuple[str, ...] | None = None,
         langs: tuple[str, ...] = ("en", "ru"), seed: str = SEED) -> list[dict]:
    """The known-item queries of an index, `per_lang` per language at most, as
    evenly spread over the kinds as the statements allow (statements of ids
    starting with `prefixes`, when given; never the tests' own)."""
    rng = random.Random(seed)
    ids = sorted(hit.id for hit in index.hits("") if not hit.id.startswith(("tests/", "generated/")))
    if prefixes:
        ids = [i for i in ids if i.startswith(prefixes)]
    rng.shuffle(ids)
    words, snap = index._snapshots.retrying(lambda snap: snap.vocabulary(), detach=True)
    maker = _Maker(index, words, rng)
    kinds = {lang: KINDS for lang in langs}
    items = {lang: {k: [] for k in kinds[lang]} for lang in langs}
    made_of: dict[tuple, int] = {}  # (id, lang, kind) → queries made

    def full(lang):
        return sum(map(len, items[lang].values())) >= per_lang

    try:
        docs = {}
        # Even quotas first, a statement giving one query of a kind per round;
        # then what a language still lacks from whichever kinds its statements allow.
        for even, round_ in [(True, r) for r in range(1, ROUNDS + 1)] + [(False, ROUNDS + 1)]:
            for doc_id in ids:
                if all(full(lang) for lang in langs):
                    break
                doc = docs.get(doc_id) or docs.setdefault(doc_id, index.document(doc_id))
                for section in doc.sections:
                    lang = section.lang
                    if lang not in items or full(lang):
                        continue
                    quota = -(-per_lang // len(kinds[lang])) if even else per_lang
                    for kind in kinds[lang]:
                        key = (doc_id, lang, kind)
                        if len(items[lang][kind]) >= quota or made_of.get(key, 0) >= round_:
                            continue
                        taken = {i["query"] for i in items[lang][kind] if i["id"] == doc_id}
                        item = maker.make(kind, doc, lang, section.text, taken)
                        made_of[key] = made_of.get(key, 0) + 1 if item else ROUNDS + 1
                        if item and not full(lang):
                            items[lang][kind].append(item)
    finally:
        index._snapshots.release(snap)
    return [i for lang in langs for kind in kinds[lang] for i in items[lang][kind]]


class _Maker:
    """Makes one query of a kind from a statement's section, or None."""

    def __init__(self, index: SearchIndex, words_known, rng: random.Random):
        self.index, self.words_known, self.rng = index, words_known, rng
        self.count = functools.lru_cache(maxsize=None)(
            lambda query: index.count(query, autocorrect=False))

    def make(self, kind, doc, lang, text, taken) -> dict | None:
        paragraphs = [p for p in passages(text) if len(p) > 150] or (
            [text] if len(text) > 80 else [])
        self.rng.shuffle(paragraphs)
        made = getattr(self, f"_{kind}")(doc, lang, paragraphs)
        for query, extra in made:
            if query in taken:
                continue
            found = [h.id for h in self.index.hits(query, autocorrect=False)]
            if doc.id not in found or len(found) < MIN_FOUND:
                continue
            if kind in SINGLED_OUT or not any(self._together(other, query) for other in found
                                               if other != doc.id):
                return {"id": doc.id, "lang": lang, "kind": kind, "query": query, **extra,
                        "found": len(found)}
        return None

    def _together(self, doc_id, query) -> bool:
        """Does a paragraph of the statement (with its title) hold every word of
        the query, in any form? Then the query cannot tell its statement from this one."""
        wanted = [set(word_terms(fold(m.group()))) for m in WORD_RE.finditer(query)
                  if not is_stop_word(fold(m.group()))]
        doc = self.index.document(doc_id)
        title = self._terms(doc.title)
        return any(all(w & (title | self._terms(p)) for w in wanted)
                   for section in doc.sections for p in self._units(section.text))

    @staticmethod
    def _units(text) -> list[str]:
        """Where a query's words are taken from together: the passages, or a short text whole."""
        return passages(text) + ([text] if len(text) <= PASSAGE else [])

    @staticmethod
    def _terms(text) -> set[str]:
        return {t for m in WORD_RE.finditer(text) for t in word_terms(fold(m.group()))}

    def _content(self, word, lang) -> bool:
        return (len(word) >= MIN_LENGTH and word.isalpha() and script(word) == lang
                and not is_stop_word(word) and (lang != "ru" or is_dictionary_word(word)))

    def _rare(self, paragraph, lang, bounds=RARE) -> list[str]:
        """The paragraph's content words found in `bounds` statements, in order."""
        out = []
        for m in WORD_RE.finditer(paragraph):
            word = fold(m.group())
            if self._content(word, lang) and word not in out and bounds[0] <= self.count(word) <= bounds[1]:
                out.append(word)
        return out

    def _words(self, doc, lang, paragraphs):
        """2-3 rare words of one paragraph, each in another form."""
        for paragraph in paragraphs:
            words = self._rare(paragraph, lang)
            if len(words) < 2:
                continue
            chosen = self.rng.sample(words, min(len(words), self.rng.choice((2, 3))))
            forms = [other_form(w, self.words_known, self.rng) for w in chosen]
            if None not in forms:
                yield " ".join(forms), {"words": chosen}

    def _phrase(self, doc, lang, paragraphs):
        """A remembered phrase: 3-6 words standing together in the statement and
        in no other, one of them rare, typed without quotes."""
        for paragraph in paragraphs[:3]:
            runs, run, end = [], [], None
            for m in WORD_RE.finditer(paragraph):
                if end is not None and paragraph[end:m.start()].strip():
                    runs.append(run)
                    run = []
                run.append(fold(m.group()))
                end = m.end()
            runs.append(run)
            windows = [run[i:i + n] for run in runs for n in range(PHRASE[0], PHRASE[1] + 1)
                       for i in range(len(run) - n + 1)]
            windows = [w for w in windows
                       if all(x.isalpha() and script(x) == lang for x in w)
                       and not is_stop_word(w[0]) and not is_stop_word(w[-1])
                       and sum(not is_stop_word(x) and len(x) >= 4 for x in w) >= 2
                       and any(self._content(x, lang) and self.count(x) <= PHRASE_RARE for x in w)]
            self.rng.shuffle(windows)
            for window in windows[:3]:
                query = " ".join(window)
                if self.count(f'"{query}"') == 1:
                    yield query, {}

    def _title(self, doc, lang, paragraphs):
        """2-4 words of the title, in order, one perhaps in another form; they
        must be in no other statement's title."""
        if source(doc.id) in GENERIC_TITLES or script(doc.title) != lang:
            return
        words = []
        for m in WORD_RE.finditer(doc.title):
            word = fold(m.group())
            if (word.isalpha() and len(word) >= 4 and script(word) == lang and not is_stop_word(word)
                    and word not in words):
                words.append(word)
        for _ in range(3):
            if len(words) < 2:
                return
            n = min(len(words), self.rng.choice((2, 3, 4)))
            chosen = [words[i] for i in sorted(self.rng.sample(range(len(words)), n))]
            if self.rng.random() < 0.5:
                at = self.rng.randrange(n)
                chosen[at] = other_form(chosen[at], self.words_known, self.rng) or chosen[at]
            if (self.count(" ".join(f"title:{w}" for w in chosen)) == 1
                    and any(self.count(w) <= PHRASE_RARE for w in chosen)):
                yield " ".join(chosen), {}

    def _name(self, doc, lang, paragraphs):
        """A name (a UN speech's country; else a surname, place or organisation
        capitalised within a sentence, in its dictionary form) and 1-2 rare words of one paragraph."""
        country = doc.metadata.get("country") if source(doc.id) in GENERIC_TITLES else None
        country = country and SHORT_NAME.sub("", country)  # "Republic of Ghana" → "Ghana"
        for paragraph in paragraphs:
            names = [country] if country and lang == "en" else self._names(paragraph, lang)
            topics = self._rare(paragraph, lang)
            if not names or not topics:
                continue
            name = self.rng.choice(names)
            own = {t for w in fold(name).split() for t in word_terms(w)}
            topics = [t for t in topics if not own & set(word_terms(t)) and not gazetteer().whole_name(t)]
            chosen = self.rng.sample(topics, min(len(topics), self.rng.choice((1, 2))))
            forms = [other_form(w, self.words_known, self.rng) if self.rng.random() < 0.5 else w
                     for w in chosen]
            if chosen and None not in forms:
                yield " ".join([name, *forms]), {}

    def _names(self, paragraph, lang) -> list[str]:
        out = []
        for m in WORD_RE.finditer(paragraph):
            word = m.group()
            before = paragraph[:m.start()].rstrip()
            if (not word[0].isupper() or not word.isalpha() or len(word) < 4 or script(word) != lang
                    or not before or before[-1] in ".!?…:;«\"“„—–-(" or word.isupper()):
                continue
            if lang == "ru":
                parse = _morph().parse(word)[0]
                if not {"Surn", "Geox", "Orgn"} & set(str(parse.tag).replace(" ", ",").split(",")):
                    continue
                word = parse.normal_form.capitalize()
            if NAME_COUNT[0] <= self.count(fold(word)) <= NAME_COUNT[1] and word not in out:
                out.append(word)
        return out
