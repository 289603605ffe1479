"""User text → query tree → Whoosh query. Nothing here needs an open index.

The query language (see the README):

    выборы резолюция            all words must match (in any form)
    "оккупированные территории" a phrase, matched on lemmas and stems
    elections OR выборы         either
    NOT Armenia, -Armenia       exclude
    title:statement             a word, phrase or prefix in the title only
    lang:ru  year:2020  no:064/20
    number:822  number:[800 TO 900]  mentioned:1993
    date:2020-03  date:[2019-01-01 TO 2020-12-31]   (either end may be *)
    окку*                       words starting with "окку"
    elction~  elction~2         words within one (two) typing errors

User text never raises: what cannot be read as syntax is read as plain
words, and a notice says so. `parse(text, raw=True)` instead hands the text
to Whoosh's own query parser, for experts, and reports its errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from whoosh import query as wq

from search import schema as S
from search.analysis import fold, is_stop_word, query_positions
from search.errors import QueryError  # noqa: F401  (raised here, imported from here)
from search.langdata import LANGUAGE_NAMES, LANGUAGES
from search.phrases import Adjacent

MAX_CLAUSES = 100  # words, phrases and filters used from one query
MAX_DEPTH = 16  # nesting of brackets
MIN_PREFIX = 2  # letters before a *
MAX_EXPANSIONS = 200  # words a prefix or fuzzy term may stand for
MAX_QUERY_EXPANSIONS = 1000  # words all the prefix and fuzzy terms of one query may stand for
MIN_EXPANSIONS = 10  # what each may still stand for once a query has used that up


# --- the query tree ------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Words to find: a word, a "phrase", a prefix* or a fuzzy~ word."""

    kind: str  # "word", "phrase", "prefix" or "fuzzy"
    text: str
    field: str | None = None  # None: title and every body; "title": title only
    maxdist: int = 0  # for fuzzy words
    span: tuple[int, int] | None = None  # where the user typed it

    def __str__(self) -> str:
        body = {
            "word": self.text,
            "phrase": f'"{self.text}"',
            "prefix": f"{self.text}*",
            "fuzzy": f"{self.text}~{self.maxdist}",
        }[self.kind]
        return f"{self.field}:{body}" if self.field else body


@dataclass(frozen=True)
class Filter:
    """A metadata condition: field value, or field in [lo, hi] (None = open)."""

    field: str  # "number", "year", "date", "lang", "no", "mentioned"
    lo: object
    hi: object

    def __str__(self) -> str:
        if self.lo == self.hi:
            return f"{self.field}:{self.lo}"
        return f"{self.field}:[{'*' if self.lo is None else self.lo} TO {'*' if self.hi is None else self.hi}]"


@dataclass(frozen=True)
class Bool:
    op: str  # "and" or "or"
    items: tuple

    def __str__(self) -> str:
        joiner = " OR " if self.op == "or" else " AND "
        return "(" + joiner.join(map(str, self.items)) + ")"


@dataclass(frozen=True)
class Not:
    item: object

    def __str__(self) -> str:
        return f"NOT {self.item}"


@dataclass(frozen=True)
class MatchAll:
    def __str__(self) -> str:
        return "*"


@dataclass
class ParsedQuery:
    """A parsed query: its tree, the text it came from, and notices for the user."""

    text: str
    root: object
    notices: list[str] = field(default_factory=list)
    raw: object = None  # a Whoosh query, in raw mode

    def __str__(self) -> str:
        return str(self.raw) if self.raw is not None else str(self.root)

    @property
    def is_empty(self) -> bool:
        return self.raw is None and isinstance(self.root, MatchAll)

    def texts(self, negated: bool = False) -> list[Text]:
        """The Text leaves, outside NOT unless `negated` (for marking matches)."""
        found: list[Text] = []

        def walk(node, inside_not):
            if isinstance(node, Text):
                if inside_not == negated:
                    found.append(node)
            elif isinstance(node, Bool):
                for item in node.items:
                    walk(item, inside_not)
            elif isinstance(node, Not):
                walk(node.item, not inside_not)

        walk(self.root, False)
        return found


# --- lexing --------------------------------------------------------------------------

FIELD_ALIASES = {
    "title": "title",
    "lang": "lang", "language": "lang",
    "number": "number", "num": "number",
    "year": "year",
    "date": "date",
    "no": "no", "docno": "no",
    "mentioned": "mentioned", "mentions": "mentioned",
}
TEXT_FIELD_NAMES = {"title"}
LANG_ALIASES = {
    "en": "en", "eng": "en", "english": "en", "английский": "en",
    "ru": "ru", "rus": "ru", "russian": "ru", "русский": "ru",
}

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>[A-Za-z]+):(?=\S)
  | (?P<range>[\[{][^\]}]*\s(?:TO|to)\s[^\]}]*[\]}])
  | (?P<quote>["“”«»„])
  | (?P<word>[^\s()"“”«»„]+)
    """,
    re.X,
)


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _lex(text: str) -> list[_Token]:
    return [
        _Token(m.lastgroup, m.group(), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if m.lastgroup != "space"
    ]


# --- parsing --------------------------------------------------------------------------


def parse(text: str, raw: bool = False) -> ParsedQuery:
    """Parses user text. Never raises in the default mode; raw mode may."""
    if raw and text.strip():
        return _parse_raw(text)
    parser = _Parser(text)
    root = parser.parse()
    return ParsedQuery(text, root, parser.notices)


class _Parser:
    """Recursive descent over tokens, forgiving: odd syntax becomes words."""

    def __init__(self, text: str):
        self.text = text
        self.notices: list[str] = []
        self.tokens = self._limit_depth(self._pair_quotes(_lex(text)))
        self.i = 0
        self.clauses = 0
        self.truncated = False

    def note(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def _pair_quotes(self, tokens: list[_Token]) -> list[_Token]:
        """Turns quote … quote into one phrase token; a lone quote is dropped."""
        out: list[_Token] = []
        open_at = None
        for n, tok in enumerate(tokens):
            if tok.kind != "quote":
                continue
            if open_at is None:
                open_at = n
            else:
                tokens[open_at] = _Token(
                    "phrase", self.text[tokens[open_at].end : tok.start],
                    tokens[open_at].start, tok.end,
                )
                for k in range(open_at + 1, n + 1):
                    tokens[k] = None
                open_at = None
        if open_at is not None:
            self.note("A quotation mark has no partner: the words after it are read as plain words.")
            tokens[open_at] = None
        out = [t for t in tokens if t is not None]
        return out

    def _limit_depth(self, tokens: list[_Token]) -> list[_Token]:
        """Drops brackets nested deeper than MAX_DEPTH, with their partners."""
        out, stack = [], []
        for tok in tokens:
            if tok.kind == "lparen":
                keep = len([k for k in stack if k]) < MAX_DEPTH
                stack.append(keep)
                if not keep:
                    self.note(f"Brackets nest deeper than {MAX_DEPTH} levels: the inner ones are ignored.")
                    continue
            elif tok.kind == "rparen" and stack and not stack.pop():
                continue
            out.append(tok)
        return out

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        items = []
        while self.peek() is not None:
            node = self.or_expr()
            if node is not None:
                items.append(node)
            tok = self.peek()
            if tok is not None and tok.kind == "rparen":
                self.take()
                self.note("A closing bracket has no opening one: it is ignored.")
        if self.truncated:
            self.note(f"The query is long: only its first {MAX_CLAUSES} words and filters are used.")
        return _simplify(Bool("and", tuple(items))) if items else MatchAll()

    def or_expr(self):
        items = [self.and_expr()]
        while self._is_keyword("OR"):
            self.take()
            right = self.and_expr()
            if right is None:
                self.note("“OR” has nothing after it: it is ignored.")
                break
            items.append(right)
        items = [x for x in items if x is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else Bool("or", tuple(items))

    def and_expr(self):
        items = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind == "rparen" or self._is_keyword("OR"):
                if tok is not None and self._is_keyword("OR") and not items:
                    self.take()
                    self.note("“OR” has nothing before it: it is ignored.")
                    continue
                break
            if self._is_keyword("AND"):
                self.take()
                continue
            node = self.unary()
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else Bool("and", tuple(items))

    def unary(self):
        tok = self.peek()
        if self._is_keyword("NOT"):
            # A run of NOTs is read in a loop, not by recursion: NOT NOT x is x.
            negations = 0
            while self._is_keyword("NOT"):
                self.take()
                negations += 1
            if self.peek() is None or self.peek().kind == "rparen":
                self.note("“NOT” has nothing after it: it is ignored.")
                return None
            item = self.unary()
            if item is None or not negations % 2:
                return item
            return item.item if isinstance(item, Not) else Not(item)
        if tok.kind == "word" and tok.text.startswith("-") and len(tok.text) > 1:
            self.take()
            rest = _Token("word", tok.text[1:], tok.start + 1, tok.end)
            item = self.primary_from(rest)
            return Not(item) if item is not None else None
        if tok.kind == "word" and tok.text.startswith("+") and len(tok.text) > 1:
            self.take()
            return self.primary_from(_Token("word", tok.text[1:], tok.start + 1, tok.end))
        return self.primary()

    def primary(self):
        tok = self.take()
        if tok.kind == "lparen":
            node = self.or_expr()
            if self.peek() is not None and self.peek().kind == "rparen":
                self.take()
            else:
                self.note("An opening bracket is never closed: it is closed at the end.")
            return node
        if tok.kind == "field":
            return self.fielded(tok)
        return self.primary_from(tok)

    def primary_from(self, tok: _Token, field: str | None = None):
        if tok.kind == "phrase":
            return self.leaf(Text("phrase", tok.text.strip(), field, span=(tok.start, tok.end)))
        if tok.kind == "range":
            # A range without a field: read its words.
            return self.words_of(tok.text.strip("[]{}"), tok.start, field)
        if tok.kind in ("rparen", "lparen", "quote"):
            return None
        return self.word(tok.text, tok.start, field)

    def word(self, text: str, start: int, field: str | None):
        """A plain word, a prefix* or a fuzzy~ word."""
        m = re.fullmatch(r"(.+?)~(\d)?", text)
        if m and _letters(m.group(1)):
            base = m.group(1)
            maxdist = min(int(m.group(2)), 2) if m.group(2) else _auto_distance(base)
            return self.leaf(Text("fuzzy", base, field, maxdist, (start, start + len(text))))
        if text.endswith("*") and not text.rstrip("*").count("*"):
            base = text.rstrip("*")
            if len(_letters(base)) >= MIN_PREFIX and _WORDISH.fullmatch(base):
                return self.leaf(Text("prefix", base, field, span=(start, start + len(text))))
            self.note(f"“{text}” is too short to end with *: at least {MIN_PREFIX} letters are needed.")
        return self.words_of(text, start, field)

    def words_of(self, text: str, start: int, field: str | None):
        """Plain words, with operator characters read as spaces."""
        cleaned = re.sub(r"[*?~^\[\]{}:]+", " ", text).strip()
        if not cleaned:
            return None
        words = cleaned.split()
        leaves = [
            self.leaf(Text("word", w, field, span=(start, start + len(text))))
            for w in words
        ]
        leaves = [x for x in leaves if x is not None]
        if not leaves:
            return None
        return leaves[0] if len(leaves) == 1 else Bool("and", tuple(leaves))

    def leaf(self, node):
        if self.clauses >= MAX_CLAUSES:
            self.truncated = True
            return None
        self.clauses += 1
        return node

    def fielded(self, tok: _Token):
        name = tok.text[:-1].lower()
        field = FIELD_ALIASES.get(name)
        nxt = self.peek()
        if field is None:
            # "10:30", "UN:" or a field we do not know: plain text.
            if not name.isdigit():
                self.note(f"“{name}:” is not a field (try title:, lang:, year:, date:, number:, "
                          "mentioned: or no:); it is read as a word.")
            return self.word(name, tok.start, None)
        if nxt is None:
            return None
        if field in TEXT_FIELD_NAMES:
            if nxt.kind == "lparen":
                self.note(f"“{name}:(…)” is not supported: the words in brackets are searched everywhere.")
                return None
            return self.primary_from(self.take(), field)
        value_tok = self.take()
        if value_tok.kind == "range" and field in ("number", "year", "date", "mentioned"):
            lo, hi = re.split(r"\s+(?:TO|to)\s+", value_tok.text[1:-1].strip(), maxsplit=1)
            return self.filter_range(field, lo.strip(), hi.strip(), value_tok.text)
        value = value_tok.text.strip('"“”«»„') if value_tok.kind != "phrase" else value_tok.text
        return self.filter_value(field, value.strip())

    def filter_value(self, field: str, value: str):
        try:
            if field == "lang":
                lang = LANG_ALIASES.get(value.lower())
                if lang is None:
                    raise ValueError(f"lang: takes one of {', '.join(LANGUAGES)}")
                return self.leaf(Filter("lang", lang, lang))
            if field == "no":
                return self.leaf(Filter("no", value.lower(), value.lower()))
            if field == "date":
                lo, hi = _date_bounds(value)
                return self.leaf(Filter("date", lo, hi))
            number = _integer(value, field)
            return self.leaf(Filter(field, number, number))
        except ValueError as err:
            self.note(f"{err}; “{field}:{value}” is ignored.")
            return None

    def filter_range(self, field: str, lo: str, hi: str, text: str):
        try:
            if field == "date":
                low = None if lo == "*" else _date_bounds(lo)[0]
                high = None if hi == "*" else _date_bounds(hi)[1]
            else:
                low = None if lo == "*" else _integer(lo, field)
                high = None if hi == "*" else _integer(hi, field)
            if low is not None and high is not None and low > high:
                raise ValueError(f"{field}: the range starts after it ends")
            return self.leaf(Filter(field, low, high))
        except ValueError as err:
            self.note(f"{err}; “{field}:{text}” is ignored.")
            return None

    def _is_keyword(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.text == word


_WORDISH = re.compile(r"[\w\-'’]+")


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def _auto_distance(word: str) -> int:
    """Typing errors allowed for a fuzzy word, by its length (as Elasticsearch)."""
    n = len(word)
    return 0 if n <= 2 else 1 if n <= 5 else 2


def _integer(value: str, field: str) -> int:
    digits = value.replace(" ", "").replace(",", "").replace("\u00a0", "")
    if not re.fullmatch(r"\d{1,15}", digits):
        raise ValueError(f"{field}: needs a whole number")
    return int(digits)


def _date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """"2020" → the year; "2020-03" → the month; "2020-03-31" → that day."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    try:
        if not m:
            raise ValueError
        year = int(m.group(1))
        if m.group(3):
            day = dt.date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            first = dt.date(year, month, 1)
            last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
            return first, last
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise ValueError("date: takes YYYY, YYYY-MM or YYYY-MM-DD") from None


def _simplify(node):
    if isinstance(node, Bool) and len(node.items) == 1:
        return node.items[0]
    return node


def _parse_raw(text: str) -> ParsedQuery:
    """Whoosh's own query syntax over the title and body fields."""
    from whoosh.qparser import MultifieldParser

    parser = MultifieldParser(list(S.TEXT_FIELDS), _schema())
    try:
        q = parser.parse(text)
    except RecursionError:
        raise QueryError("the raw query nests brackets too deeply") from None
    except Exception as err:  # Whoosh raises many kinds of errors on bad syntax
        raise QueryError(f"cannot parse the raw query: {err}") from None
    if q is wq.NullQuery and text.strip():
        raise QueryError("the raw query has no searchable terms")
    return ParsedQuery(text, MatchAll(), [], raw=q.accept(_cheap_every))


def _cheap_every(node):
    """Whoosh's Every(field) reads every posting list of the field; the same
    statements are found from the language field, or are all of them."""
    if isinstance(node, wq.Every) and node.fieldname:
        for lang, fieldname in S.BODY.items():
            if node.fieldname == fieldname:
                return wq.Term(S.LANG, lang)
        if node.fieldname == S.TITLE:
            return wq.Every()
    return node


# --- building Whoosh queries ---------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _schema():
    return S.build_schema()


def analyzer(fieldname: str):
    return _schema()[fieldname].analyzer


@dataclass
class Highlights:
    """What to mark in text: index terms per field, prefixes, exact word forms."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)

    def add(self, fieldname: str, term: str) -> None:
        self.terms.setdefault(fieldname, set()).add(term)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.words)


class QueryBuilder:
    """Turns a parsed query into a Whoosh query and the terms to highlight.

    `vocabulary` (see search.vocabulary) expands prefixes and fuzzy words into
    the corpus's own word forms; without it they become Whoosh's own Prefix
    and FuzzyTerm queries over the index terms.
    """

    def __init__(self, vocabulary=None):
        self.vocabulary = vocabulary
        self._expansions: dict[tuple, tuple[list, Highlights]] = {}
        self._budget = MAX_QUERY_EXPANSIONS

    def build(self, parsed: ParsedQuery) -> tuple[wq.Query, Highlights]:
        highlights = Highlights()
        self._expansions, self._budget = {}, MAX_QUERY_EXPANSIONS
        if parsed.raw is not None:
            for fieldname, text in parsed.raw.iter_all_terms():
                if fieldname in S.TEXT_FIELDS:
                    highlights.add(fieldname, text.decode() if isinstance(text, bytes) else text)
            return parsed.raw, highlights
        q = self._node(parsed.root, highlights, negated=False)
        if q is None:
            return wq.NullQuery, highlights
        return q, highlights

    def _node(self, node, hl: Highlights, negated: bool):
        if isinstance(node, MatchAll):
            return wq.Every()
        if isinstance(node, Text):
            return self._text(node, hl if not negated else Highlights())
        if isinstance(node, Filter):
            return filter_query(node)
        if isinstance(node, Not):
            inner = self._node(node.item, hl, not negated)
            return wq.Not(inner) if inner is not None else None
        # x AND x is x, x OR x is x: a repeated clause is searched once.
        unique: dict = {}
        for x in node.items:
            unique.setdefault(_without_span(x), x)
        items = [self._node(x, hl, negated) for x in unique.values()]
        items = [x for x in items if x is not None]
        if not items:
            return None
        if node.op == "or":
            return items[0] if len(items) == 1 else wq.Or(items)
        positives = [x for x in items if not isinstance(x, wq.Not)]
        negatives = [x.query for x in items if isinstance(x, wq.Not)]
        base = (positives[0] if len(positives) == 1 else wq.And(positives)) if positives else wq.Every()
        for neg in negatives:
            base = wq.AndNot(base, neg)
        return base

    def _text(self, node: Text, hl: Highlights):
        fields = [S.TITLE] if node.field == "title" else list(S.TEXT_FIELDS)
        if node.kind in ("prefix", "fuzzy"):
            return self._expanded(node, fields, hl)
        if node.kind == "word" and is_stop_word(fold(node.text)):
            return None
        parts = []
        for fieldname in fields:
            positions = query_positions(analyzer(fieldname), node.text)
            if not positions:
                continue
            for alts in positions:
                for term in alts:
                    hl.add(fieldname, term)
            if len(positions) == 1:
                parts.append(_alternatives(fieldname, positions[0]))
            else:  # a phrase, or a word the analyser splits (a hyphenated one)
                parts.append(Adjacent([_alternatives(fieldname, alts) for alts in positions]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def _expanded(self, node: Text, fields, hl: Highlights):
        """A prefix or fuzzy word: the corpus words it stands for, in any form.

        A word repeated in a query is expanded once, and all the expansions of
        one query share a budget, so a long query cannot multiply the work.
        """
        key = (node.kind, fold(node.text), node.maxdist, tuple(fields), self.vocabulary is None)
        if key not in self._expansions:
            own = Highlights()
            query = self._expand(node, fields, own)
            self._expansions[key] = (query, own)
        query, own = self._expansions[key]
        hl.prefixes |= own.prefixes
        hl.words |= own.words
        for fieldname, terms in own.terms.items():
            for term in terms:
                hl.add(fieldname, term)
        return query

    def _expand(self, node: Text, fields, hl: Highlights):
        base = fold(node.text)
        limit = max(MIN_EXPANSIONS, min(MAX_EXPANSIONS, self._budget))
        if self.vocabulary is None:
            if node.kind == "prefix":
                hl.prefixes.add(base)
                return wq.Or([wq.Prefix(f, base) for f in fields])
            hl.words.add(base)
            return wq.Or([wq.FuzzyTerm(f, base, maxdist=node.maxdist, prefixlength=1) for f in fields])
        if node.kind == "prefix":
            words = self.vocabulary.prefix_words(base, limit)
            hl.prefixes.add(base)
        else:
            words = self.vocabulary.similar_words(base, node.maxdist, limit)
            hl.words.update(words)
        self._budget -= len(words)
        parts = []
        for fieldname in fields:
            terms = sorted({t for w in words for alts in query_positions(analyzer(fieldname), w)
                            for t in alts})
            for term in terms:
                hl.add(fieldname, term)
            if terms:
                parts.append(wq.Or([wq.Term(fieldname, t) for t in terms]))
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else wq.Or(parts)


def _without_span(node):
    return dataclasses.replace(node, span=None) if isinstance(node, Text) else node


def _alternatives(fieldname: str, terms: list[str]) -> wq.Query:
    """One position's terms: a homonym's lemmas are alternatives, scored by the best."""
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0])
    return wq.DisjunctionMax([wq.Term(fieldname, t) for t in terms])


def filter_query(node: Filter) -> wq.Query:
    """The Whoosh query of a metadata filter."""
    if node.field == "lang":
        return wq.Term(S.LANG, node.lo)
    if node.field == "no":
        return wq.Term(S.DOCNO, node.lo)
    if node.field == "date":
        return date_query(node.lo, node.hi)
    fieldname = {"number": S.NUMBERS, "year": S.YEAR, "mentioned": S.MENTIONED_YEARS}[node.field]
    return wq.NumericRange(fieldname, node.lo, node.hi)


def date_query(lo: dt.date | None, hi: dt.date | None) -> wq.Query:
    """Statements dated within [lo, hi]; those known only by year, when it overlaps.

    A statement known only by its year Y has the date key Y0000, which sorts
    before every day of Y: the range catches the years after lo's, and one
    more clause catches lo's own year.
    """
    lo_key, hi_key = date_key_range(lo, hi)
    dated = wq.NumericRange(S.DATEKEY, lo_key, hi_key)
    if lo is None:
        return dated
    first_year = S.date_key(lo.year)
    return wq.Or([dated, wq.NumericRange(S.DATEKEY, first_year, first_year)])


def date_key_range(lo: dt.date | None, hi: dt.date | None) -> tuple[int, int | None]:
    """Date-key bounds of a date range; unknown dates (key 0) never match."""
    lo_key = S.date_key(lo.year, lo.month, lo.day) if lo else 1
    hi_key = S.date_key(hi.year, hi.month, hi.day) if hi else None
    return lo_key, hi_key


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)
