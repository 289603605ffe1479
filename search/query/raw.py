"""Raw queries: Whoosh's own query syntax over the title and body fields, for experts.

`parse(text, raw=True)` (search.query.parser) hands the text here. Whoosh's
errors are raised as QueryError, and so is a pattern that would be matched
against every word of the index.
"""

from __future__ import annotations

from whoosh import query as wq

from search import schema as S
from search.errors import QueryError
from search.query.build import whoosh_schema
from search.query.lexer import MIN_PREFIX
from search.query.tree import MatchAll, ParsedQuery


def parse_raw(text: str) -> ParsedQuery:
    """Whoosh's own query syntax over the title and body fields."""
    from whoosh.qparser import MultifieldParser

    parser = MultifieldParser(list(S.TEXT_FIELDS), whoosh_schema())
    try:
        q = parser.parse(text)
    except RecursionError:
        raise QueryError("the raw query nests brackets too deeply") from None
    except Exception as err:  # Whoosh raises many kinds of errors on bad syntax
        raise QueryError(f"cannot parse the raw query: {err}") from None
    if q is wq.NullQuery and text.strip():
        raise QueryError("the raw query has no searchable terms")
    for leaf in q.leaves():
        _check_pattern(leaf)
    return ParsedQuery(text, MatchAll(), [], raw=q.accept(_cheap_every))


def _check_pattern(leaf) -> None:
    """Refuses a raw wildcard or fuzzy term that would be matched against every
    word of the index (`?*?*?*` took 18 s at 489 statements): as in our own
    syntax, MIN_PREFIX letters must come before its first `*` or `?`."""
    if isinstance(leaf, (wq.Wildcard, wq.Prefix)):
        text = leaf.text + "*" if isinstance(leaf, wq.Prefix) else leaf.text
        literal = len(leaf.text) if isinstance(leaf, wq.Prefix) else min(
            (i for i in (text.find("*"), text.find("?")) if i >= 0), default=len(text))
        if literal < MIN_PREFIX:
            raise QueryError(f"the raw pattern {text!r} needs at least {MIN_PREFIX} letters before "
                             "its first * or ?")
    elif isinstance(leaf, wq.FuzzyTerm) and leaf.prefixlength < 1 and len(leaf.text) > 0:
        leaf.prefixlength = 1  # (the first letter kept, as our own ~ does)


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
