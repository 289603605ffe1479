"""Lexing user query text into tokens; which field names the syntax knows is
the registry's (search.registry), which the parser is given.

An "=" that starts a word or a quoted phrase is a token of its own ("exact"):
the word or phrase after it is searched in the form typed (=выборах).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.lang.table import LANGUAGE_TABLE

MIN_PREFIX = 2  # letters before a * (in our syntax and in the raw one)
TEXT_FIELD_NAMES = {"title"}
LANG_ALIASES = {name: language.code for language in LANGUAGE_TABLE
                for name in (language.code, *language.aliases)}

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>[A-Za-z]+):(?=\S)
  | (?P<range>[\[{][^\]}]*\s(?:TO|to)\s[^\]}]*[\]}])
  | (?P<quote>["“”«»„])
  | (?P<exact>=(?=[^\s=()]))
  | (?P<word>[^\s()"“”«»„]+)
    """,
    re.X,
)


@dataclass
class Token:
    kind: str
    text: str
    start: int
    end: int


def lex(text: str) -> list[Token]:
    return [
        Token(m.lastgroup, m.group(), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if m.lastgroup != "space"
    ]
