"""The index terms of each written word form, as key terms count them.

A form gives the terms the indexer makes of it (its lemmas or stem, and for a
hyphenated word its parts' too; a stop word none; never its exact-form term),
each with the part of it that gave it. Morphology costs tens of microseconds a form, so a sample of
a thousand statements would take a fresh process a quarter of a second: the
indexer writes each statement's forms' terms in a column (FORM_TERMS, one per
language), and a process learns a form's terms from it the first time it
meets the form.

A column value lists the statement's distinct forms' terms in the order the
forms first occur in its text; each term is written as an edit of the
lower-cased form (how many characters to drop from its end, those to add).
"""

from __future__ import annotations

import functools

from search.lang.analysis import PART_RE, WORD_RE, fold, is_capitalised, is_stop_word, word_terms
from search.exec.texts import decode, encode

_FORMS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}  # (form, lang) → (term, as written)…
_MAX_FORMS = 500_000  # forms remembered per process, as the lemma cache does
_FORM, _TERM, _FIELD = "\n", ",", "."  # (none of them is a word character)
_ZERO = ord("0")
_COMPRESS_FROM = 100  # bytes: a statement's forms' terms repeat enough to compress from here


def analysed(form: str, lang: str) -> tuple[tuple[str, str], ...]:
    """The index terms of one written form, each with the part of it that gave it."""
    folded = fold(form)
    words = [(folded, form)]
    if "-" in folded:
        words += [(fold(p), p) for p in PART_RE.findall(form)]
    return tuple((term, written) for word, written in words if not is_stop_word(word, lang)
                 for term in word_terms(word, is_capitalised(written), lang))


def form_terms(form: str, lang: str) -> tuple[tuple[str, str], ...]:
    """`analysed`, remembered (or learnt from a column) once per process."""
    key = (form, lang)
    found = _FORMS.get(key)
    if found is None:
        found = analysed(form, lang)
        _remember(key, found)
    return found


def known(forms: list[str], lang: str) -> bool:
    """Whether every one of some forms' terms is remembered already."""
    return all((f, lang) in _FORMS for f in forms)


def _remember(key: tuple[str, str], found) -> None:
    if len(_FORMS) >= _MAX_FORMS:
        _FORMS.clear()
    _FORMS[key] = found


def column_value(text: str, lang: str) -> bytes:
    """A statement's FORM_TERMS value for its text in one language."""
    entry = _entry
    entries = [entry(form, lang) for form in dict.fromkeys(WORD_RE.findall(text))]
    return encode(_FORM.join(entries), compress_from=_COMPRESS_FROM)


@functools.lru_cache(maxsize=_MAX_FORMS)
def _entry(form: str, lang: str) -> str:
    """A form's entry in a column value: a pure function of the form and the
    language, so worked out once per distinct form in a run."""
    parts = None
    items = []
    for term, written in analysed(form, lang):
        if written == form:
            at = ""
        else:
            parts = parts if parts is not None else PART_RE.findall(form)
            at = f"{_FIELD}{parts.index(written) + 1}"
        items.append(_edit(written.lower(), term) + at)
    return _TERM.join(items)


def learn(forms: list[str], value: bytes, lang: str) -> None:
    """Remembers the terms of a statement's forms not met yet, from its column
    value; `forms` are its text's, as WORD_RE finds them."""
    if all((f, lang) in _FORMS for f in forms):
        return
    for form, entry in zip(dict.fromkeys(forms), decode(value).split(_FORM)):
        if (form, lang) not in _FORMS:
            _remember((form, lang), _terms(form, entry))


def read(forms: list[str], value: bytes) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each distinct form of a text (`forms`: WORD_RE's) → its terms, from the text's column value."""
    return {form: _terms(form, entry)
            for form, entry in zip(dict.fromkeys(forms), decode(value).split(_FORM))}


def _terms(form: str, entry: str) -> tuple[tuple[str, str], ...]:
    """A form's (term, as written) pairs from its entry in a column value."""
    if not entry:
        return ()
    parts = None
    found = []
    for item in entry.split(_TERM):
        added, *at = item[1:].split(_FIELD)
        written = form
        if at:
            parts = parts if parts is not None else PART_RE.findall(form)
            written = parts[int(at[0]) - 1]
        lowered = written.lower()
        found.append((lowered[:len(lowered) - (ord(item[0]) - _ZERO)] + added, written))
    return tuple(found)


def _edit(lowered: str, term: str) -> str:
    """How a term is made from a lower-cased form: one character saying how many
    to drop from its end (chr(_ZERO + n): never a separator), then those to add."""
    same = 0
    for a, b in zip(lowered, term):
        if a != b:
            break
        same += 1
    return chr(_ZERO + len(lowered) - same) + term[same:]
