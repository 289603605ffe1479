"""UN resolutions cited in text, as canonical symbols.

"resolution 822 (1993)", «резолюциями 822, 853 и 884», "S/RES/2254 (2015)",
"resolution 68/262" and "A/RES/68/262" become `S/RES/822 (1993)`,
`A/RES/68/262`, … . A Security Council number cited without its year takes
the year the same text gives it elsewhere, else that of a resolution well
known by its number alone (`CITED_BY_NUMBER`), else stays `S/RES/853`; a number
with a session in Roman numerals is an early Assembly resolution,
`A/RES/194 (III)`. The indexer reads a statement's citations with
`find_resolutions`; filters read a user's value with `canonical`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from search.lang.table import RESOLUTION_WORDS, YEAR_WORD_ALT

SECURITY_COUNCIL = "S/RES/"
GENERAL_ASSEMBLY = "A/RES/"
EXAMPLES = "S/RES/822 (1993), S/RES/853 or A/RES/68/262"
# Resolutions so well known that statements cite them by number alone, when
# the statement gives no year of its own: "Resolution 194, which guarantees
# Palestinian refugees the right of return" is the Assembly's.
CITED_BY_NUMBER = {
    "181": "A/RES/181 (II)", "194": "A/RES/194 (III)", "242": "S/RES/242 (1967)",
    "338": "S/RES/338 (1973)", "1325": "S/RES/1325 (2000)",
}


def _alternatives(words) -> str:
    """A regular expression for any of the words, longest first; a space is any spacing."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_WORDS = RESOLUTION_WORDS["words"]
_TRIGGER = re.compile(rf"(?<!\w)(?:{_alternatives(_WORDS)})\w*", re.I)
_QUALIFIERS = re.compile(rf"(?:\s+(?:{_alternatives(RESOLUTION_WORDS['qualifiers'])})(?!\w))*", re.I)
# One cited number: 68/262 (an Assembly session and number), 822 (1993) (a
# Council number and year), 194 (III) (an early Assembly session), 2175 of
# 2014, or a bare number. Never part of a longer number or a decimal.
_ITEM = re.compile(
    r"\s*(?:(?P<session>(?:ES-|S-)?\d{1,2}/\d{1,3})(?![\d/])"
    r"|(?P<number>\d{1,4})(?:\s*\((?P<year>\d{4})\)|\s*\((?P<roman>[IVXL]{1,6})\)"
    rf"|\s+(?:{_alternatives(RESOLUTION_WORDS['year_words'])})\s+(?P<of>\d{{4}})(?!\d)(?:\s*(?:{YEAR_WORD_ALT})(?!\w))?"
    rf"|(?!\s*(?:{_alternatives(RESOLUTION_WORDS['counts'])})))(?![\d/]|[.,]\d))",
    re.I,
)
_LIST_WORD = _alternatives(RESOLUTION_WORDS["lists"])
_SEPARATOR = re.compile(rf"\s*,\s*(?:(?:{_LIST_WORD})\s+)?|\s+(?:{_LIST_WORD})\s+", re.I)
_SYMBOL = re.compile(
    r"(?<![\w/])(?:S/RES/(?P<s_number>\d{1,4})(?:\s*\((?P<s_year>\d{4})\))?"
    r"|A/RES/(?:(?P<a_session>(?:ES-|S-)?\d{1,2}/\d{1,3})"
    r"|(?P<a_number>\d{1,4})\s*\((?P<a_roman>[IVXL]{1,6})\)))"
    r"(?![\d/])",
    re.I,
)
_ASSEMBLY_BEFORE = re.compile(rf"(?:{_alternatives(RESOLUTION_WORDS['assembly'])})\W*$", re.I)
_ASSEMBLY_AFTER = re.compile(rf"\s+(?:of\s+the\s+)?(?:{_alternatives(RESOLUTION_WORDS['assembly'])})", re.I)
_LOOK_BEHIND = 40
_BARE = "bare"  # the kind of a number cited without year or session


def find_resolutions(text: str) -> list[str]:
    """The resolutions `text` cites, each once, in the order of their symbols' numbers."""
    found = [symbol for symbol, _, _ in _citations(text)]
    dated: dict[str, set[str]] = {}
    for symbol in found:
        if " (" in symbol:
            dated.setdefault(_number_of(symbol), set()).add(symbol)
    out = set()
    for symbol in found:
        if " (" not in symbol and "/" not in symbol[len(SECURITY_COUNCIL):]:
            number = _number_of(symbol)  # a bare number: its year, if given once
            given = dated.get(number, set())
            if len(given) == 1:
                continue
            symbol = CITED_BY_NUMBER.get(number, symbol) if not given else symbol
        out.add(symbol)
    return sorted(out, key=sort_key)


def canonical(value: str) -> str | None:
    """A user's resolution ("S/RES/822 (1993)", "s/res/822(1993)", "68/262",
    "resolution 853") as its symbol; None when it is not one resolution."""
    value = " ".join(value.split())
    for text in (value, f"resolution {value}"):
        cited = list(_citations(text))
        if len(cited) == 1 and cited[0][1] in (0, len("resolution ")) and cited[0][2] == len(text):
            return cited[0][0]
    return None


def sort_key(symbol: str) -> tuple:
    """Council before Assembly, then by session, number and year."""
    return (symbol[:6], [int(n) for n in re.findall(r"\d+", symbol)], symbol)


def _number_of(symbol: str) -> str:
    """The number of a Council or early Assembly resolution, whichever organ."""
    return symbol.split(" (")[0][len(SECURITY_COUNCIL):]


def _citations(text: str) -> Iterator[tuple[str, int, int]]:
    """(symbol, start, end) of every citation, symbols written out and numbers after
    "resolution(s)"; a bare number keeps no year (find_resolutions looks it up)."""
    for m in _matches(_SYMBOL, text, ("s/res/", "a/res/")):
        if m.group("s_number"):
            year = m.group("s_year")
            yield SECURITY_COUNCIL + m.group("s_number") + (f" ({year})" if year else ""), m.start(), m.end()
        elif m.group("a_session"):
            yield GENERAL_ASSEMBLY + m.group("a_session").upper(), m.start(), m.end()
        else:
            symbol = f"{GENERAL_ASSEMBLY}{m.group('a_number')} ({m.group('a_roman').upper()})"
            yield symbol, m.start(), m.end()
    for m in _matches(_TRIGGER, text, _WORDS):
        pos = _QUALIFIERS.match(text, m.end()).end()
        qualifiers = text[m.end():pos]
        assembly = bool(_ASSEMBLY_BEFORE.search(text, max(0, m.start() - _LOOK_BEHIND), m.start())
                        or _ASSEMBLY_AFTER.match(qualifiers))
        kind = None
        while True:
            item = _ITEM.match(text, pos)
            if item is None:
                break
            symbol, item_kind = _symbol(item, assembly, kind is None)
            if symbol is None or kind not in (None, item_kind):  # a list's numbers are alike
                break
            kind = item_kind
            yield symbol, m.start(), item.end()
            pos = item.end()
            sep = _SEPARATOR.match(text, pos)
            if sep is None:
                break
            pos = sep.end()


def _matches(pattern: re.Pattern, text: str, words) -> Iterator[re.Match]:
    """pattern.finditer(text) where it can start only at one of `words` (lower
    case): str.find finds those far faster than a regular expression."""
    lower = text.lower()
    if len(lower) != len(text):  # (a letter whose lower case is longer: positions would shift)
        yield from pattern.finditer(text)
        return
    starts = sorted({i for w in words for i in _positions(lower, w)})
    end = 0
    for start in starts:
        if start < end:
            continue
        m = pattern.match(text, start)
        if m:
            end = m.end()
            yield m


def _positions(text: str, word: str) -> Iterator[int]:
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def _symbol(item: re.Match, assembly: bool, first: bool) -> tuple[str | None, str]:
    if item.group("session"):
        return GENERAL_ASSEMBLY + item.group("session"), "session"
    number = item.group("number")
    if item.group("roman"):
        return f"{GENERAL_ASSEMBLY}{number} ({item.group('roman').upper()})", "roman"
    year = item.group("year") or item.group("of")
    if year:
        return f"{SECURITY_COUNCIL}{number} ({year})", "year"
    if len(number) < (2 if first else 3):  # "resolution 1325, 20 years on": 20 is no resolution
        return None, _BARE
    return (GENERAL_ASSEMBLY if assembly else SECURITY_COUNCIL) + number, _BARE
