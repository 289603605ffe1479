"""The query tree: what a parsed query is, independent of any index.

`search.query.parser` builds it from user text; `search.query.build` turns
it into a Whoosh query.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Text:
    """Words to find: a word, a "phrase", a prefix* or a fuzzy~ word, or an
    =exact word form (="exact phrase": each word in the form typed)."""

    kind: str  # "word", "phrase", "prefix", "fuzzy" or "exact"
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
            "exact": f"={self.text}" if " " not in self.text else f'="{self.text}"',
        }[self.kind]
        return f"{self.field}:{body}" if self.field else body


@dataclass(frozen=True)
class FieldCondition:
    """A metadata condition of the query syntax (`year:2020`): field value, or field in [lo, hi]
    (None = open). Not `results.Filters`, the URL filters of a search."""

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
    names: bool = True  # names find the other language too (matching.find: off for Filters.exact_names)

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
