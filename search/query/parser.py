"""User text → query tree. Nothing here needs an index.

The query language (see docs/query-syntax.md):

    выборы резолюция            all words must match (in any form)
    "оккупированные территории" a phrase, matched on lemmas and stems
    elections OR выборы         either
    NOT Armenia, -Armenia       exclude
    title:statement             a word, phrase or prefix in the title only
    lang:ru  year:2020  no:064/20
    number:822  number:[800 TO 900]  mentioned:1993  cites:"S/RES/822 (1993)"
    date:2020-03  date:[2019-01-01 TO 2020-12-31]   (either end may be *)
    окку*                       words starting with "окку"
    =выборах  ="выборах в"      that word form only (folded: case and ё aside)
    elction~  elction~2         words within one (two) typing errors

User text never raises: what cannot be read as syntax is read as plain
words, and a notice says so. `parse(text, raw=True)` instead hands the text
to Whoosh's own query parser (search.query.raw), for experts, and reports its errors.
"""

from __future__ import annotations

import datetime as dt
import re

from search.errors import QueryError
from search.fields import DATE_RANGE, FIELDS, KEYWORD, LANGUAGE, MAX_INTEGER, MAX_QUERY_CHARS
from search.query.lexer import LANG_ALIASES, MIN_PREFIX, TEXT_FIELD_NAMES, Token, lex
from search.query.raw import parse_raw
from search.query.tree import Bool, FieldCondition, MatchAll, Not, ParsedQuery, Text
from search.registry import BUILT_IN, Registry

MAX_CLAUSES = 100  # words, phrases and filters used from one query
MAX_DEPTH = 16  # nesting of brackets
# MAX_QUERY_CHARS: characters of a query, in every layer (library, CLI, web): a longer
# one is refused before it is read (100 KB of query once took gigabytes).


def parse(text: str, raw: bool = False, registry: Registry = BUILT_IN) -> ParsedQuery:
    """Parses user text, its fields those of `registry` (an index's: SearchIndex.registry).
    In the default mode odd syntax never raises, only a query longer than
    MAX_QUERY_CHARS (QueryError); raw mode's own errors are raised."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    if raw and text.strip():
        return parse_raw(text)
    parser = _Parser(text, registry)
    root = parser.parse()
    return ParsedQuery(text, root, parser.notices)


class _Parser:
    """Recursive descent over tokens, forgiving: odd syntax becomes words."""

    def __init__(self, text: str, registry: Registry):
        self.text = text
        self.registry = registry
        self.notices: list[str] = []
        self.tokens = self._limit_depth(self._pair_quotes(lex(text)))
        self.i = 0
        self.clauses = 0
        self.truncated = False

    def note(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def _pair_quotes(self, tokens: list[Token]) -> list[Token]:
        """Turns quote … quote into one phrase token; a lone quote is dropped."""
        out: list[Token] = []
        open_at = None
        for n, tok in enumerate(tokens):
            if tok.kind != "quote":
                continue
            if open_at is None:
                open_at = n
            else:
                tokens[open_at] = Token(
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

    def _limit_depth(self, tokens: list[Token]) -> list[Token]:
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

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
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
                nxt = self.peek()
                if not items:
                    self.note("“AND” has nothing before it: it is ignored.")
                elif nxt is None or nxt.kind == "rparen" or self._is_keyword("OR"):
                    self.note("“AND” has nothing after it: it is ignored.")
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
            rest = Token("word", tok.text[1:], tok.start + 1, tok.end)
            item = self.primary_from(rest)
            return Not(item) if item is not None else None
        if tok.kind == "word" and tok.text.startswith("+") and len(tok.text) > 1:
            self.take()
            return self.primary_from(Token("word", tok.text[1:], tok.start + 1, tok.end))
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

    def primary_from(self, tok: Token, field: str | None = None):
        if tok.kind == "exact":
            return self.exact(tok, field)
        if tok.kind == "phrase":
            return self.leaf(Text("phrase", tok.text.strip(), field, span=(tok.start, tok.end)))
        if tok.kind == "range":
            # A range without a field: read its words.
            return self.words_of(tok.text.strip("[]{}"), tok.start, field)
        if tok.kind in ("rparen", "lparen", "quote"):
            return None
        return self.word(tok.text, tok.start, field)

    def exact(self, tok: Token, field: str | None):
        """=word or ="phrase": the word (each word of the phrase) in the form typed."""
        nxt = self.peek()
        if nxt is None or nxt.start != tok.end or nxt.kind not in ("word", "phrase"):
            return None
        self.take()
        if nxt.kind == "phrase":
            text = nxt.text.strip()
            return self.leaf(Text("exact", text, field, span=(tok.start, nxt.end))) if text else None
        return self.exact_words(nxt.text, tok.start, field)

    def exact_words(self, text: str, start: int, field: str | None):
        """Words after "=", in the form typed; operator characters read as spaces."""
        words = re.sub(r"[*?~^\[\]{}:=]+", " ", text).split()
        if text.rstrip("*~0123456789") != text:
            self.note(f"“={text}” is an exact form: * and ~ do not apply to it.")
        leaves = [self.leaf(Text("exact", w, field, span=(start, start + 1 + len(text)))) for w in words]
        leaves = [x for x in leaves if x is not None]
        if not leaves:
            return None
        return leaves[0] if len(leaves) == 1 else Bool("and", tuple(leaves))

    def word(self, text: str, start: int, field: str | None):
        """A plain word, a prefix* or a fuzzy~ word (or, after a - or +, an =exact one)."""
        if text.startswith("=") and len(text) > 1:
            return self.exact_words(text[1:], start, field)
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

    def fielded(self, tok: Token):
        name = tok.text[:-1].lower()
        field = self.registry.syntax_names.get(name)
        nxt = self.peek()
        if field is None:
            # "10:30", "UN:" or a field we do not know: plain text.
            if not name.isdigit():
                self.note(f"“{name}:” is not a field (try {_FIELD_LIST}); it is read as a word.")
            return self.word(name, tok.start, None)
        if nxt is None:
            return None
        if field in TEXT_FIELD_NAMES:
            if nxt.kind == "lparen":
                self.note(f"“{name}:(…)” is not supported: the words in brackets are searched everywhere.")
                return None
            return self.primary_from(self.take(), field)
        value_tok = self.take()
        if value_tok.kind == "range" and field in _RANGED:
            ends = re.split(r"\s+(?:TO|to)\s+", f" {value_tok.text[1:-1]} ", maxsplit=1)
            if len(ends) != 2 or not ends[0].strip() or not ends[1].strip():
                self.note(f"{field}: a range is [FROM TO UNTIL], * for open; "
                          f"“{field}:{value_tok.text}” is ignored.")
                return None
            return self.filter_range(field, ends[0].strip(), ends[1].strip(), value_tok.text)
        value = value_tok.text.strip('"“”«»„') if value_tok.kind != "phrase" else value_tok.text
        return self.filter_value(field, value.strip())

    def filter_value(self, field: str, value: str):
        f = self.registry.by_syntax.get(field)
        try:
            kind = f.kind if f is not None else KEYWORD
            if kind == LANGUAGE:
                lang = LANG_ALIASES.get(value.lower())
                if lang is None:
                    raise ValueError(f"{field}: takes one of {', '.join(f.choices)}")
                return self.leaf(FieldCondition(field, lang, lang))
            if kind == KEYWORD and f is not None:  # keyword facets: cites:"S/RES/822 (1993)"
                keyword = f.parse(field, value)
                return self.leaf(FieldCondition(field, keyword, keyword))
            if kind == KEYWORD:  # no:064/20
                return self.leaf(FieldCondition(field, value.lower(), value.lower()))
            if kind == DATE_RANGE:
                lo, hi = _date_bounds(value)
                return self.leaf(FieldCondition(field, lo, hi))
            number = _integer(value, field, f.bounds)
            return self.leaf(FieldCondition(field, number, number))
        except ValueError as err:
            self.note(f"{err}; “{field}:{value}” is ignored.")
            return None

    def filter_range(self, field: str, lo: str, hi: str, text: str):
        f = self.registry.by_syntax[field]
        try:
            if f.kind == DATE_RANGE:
                low = None if lo == "*" else _date_bounds(lo)[0]
                high = None if hi == "*" else _date_bounds(hi)[1]
            else:
                low = None if lo == "*" else _integer(lo, field, f.bounds)
                high = None if hi == "*" else _integer(hi, field, f.bounds)
            if low is not None and high is not None and low > high:
                raise ValueError(f"{field}: the range starts after it ends")
            return self.leaf(FieldCondition(field, low, high))
        except ValueError as err:
            self.note(f"{err}; “{field}:{text}” is ignored.")
            return None

    def _is_keyword(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.text == word


# What a fielded value may be a [lo TO hi] range of: the fixed filters' numbers and dates.
_RANGED = {f.syntax[0] for f in FIELDS if f.syntax and f.kind not in (LANGUAGE, KEYWORD)}
_FIELD_LIST = ", ".join(f"{name}:" for name in dict.fromkeys(BUILT_IN.syntax_names.values()))

_WORDISH = re.compile(r"[\w\-'’]+")


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def _auto_distance(word: str) -> int:
    """Typing errors allowed for a fuzzy word, by its length (as Elasticsearch)."""
    n = len(word)
    return 0 if n <= 2 else 1 if n <= 5 else 2


def _integer(value: str, field: str, bounds: tuple[int, int] | None) -> int:
    digits = value.replace(" ", "").replace(",", "").replace("\u00a0", "")
    if not re.fullmatch(r"\d{1,15}", digits):
        raise ValueError(f"{field}: needs a whole number")
    lo, hi = bounds or (0, MAX_INTEGER)
    if not lo <= int(digits) <= hi:  # (the index's numeric fields hold no more)
        raise ValueError(f"{field}: takes a number from {lo} to {hi}")
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
