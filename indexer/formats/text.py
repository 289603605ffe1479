"""Plain text and Markdown (with YAML-like front matter)."""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.decode import Decoded, decode_text
from indexer.formats.metadata import EXTRA_KEY_RE, META_KEYS


def read_plain(data: bytes) -> tuple[Decoded, dict]:
    return decode_text(data), {}


_FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MD_RULES = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → link text
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fences
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),  # italics
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), ""),  # rules
]


def read_markdown(data: bytes) -> tuple[Decoded, dict]:
    decoded = decode_text(data)
    text, given = markdown_text(decoded.text)
    return replace(decoded, text=text), given


def markdown_text(text: str) -> tuple[str, dict]:
    """Markdown → plain text, and the front matter's metadata."""
    given = {}
    m = _FRONT_MATTER_RE.match(text)
    if m:
        text = text[m.end():]
        for line in m.group(1).splitlines():
            key, sep, value = line.partition(":")
            key = key.strip().lower()
            if sep and (key in META_KEYS or EXTRA_KEY_RE.fullmatch(key)) and value.strip():
                given[key] = value.strip().strip("'\"")
    heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", text, re.M)
    if heading and "title" not in given:
        given["title"] = heading.group(1)
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, given
