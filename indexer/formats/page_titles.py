"""A web page's title without its site's name: "Title | DW | 19.01.2020" →
"Title", «Заявление — Министерство иностранных дел» → «Заявление», while a
title's own dash ("Nagorno-Karabakh – the next steps") stays."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from indexer.extract import YEAR_WORD_ALT, find_dates

# Between a title and its site's name: " | ", " - ", " – ", " — ", " · ", " :: ", " » ".
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|·|::|»|/)\s+")
_DOMAIN = re.compile(r"(?:[\w-]+\.)+[a-zа-я]{2,}", re.I)  # "DW.COM", "Lenta.ru"
_DATE_REST = re.compile(rf"[\s,.:\-–—]*(?:\d{{1,2}}[:.]\d{{2}}|{YEAR_WORD_ALT})?[\s,.]*", re.I)
_HOST_PARTS_IGNORED = {"www", "m", "en", "ru", "eng", "rus", "news", "com", "org", "net",
                       "gov", "int", "co", "uk", "рф", "info", "de", "fr"}
_SITE_WORDS = {"news", "online", "today", "live", "world", "daily", "international", "com",
               "ru", "uk", "новости", "онлайн", "на", "русском", "english"}


def clean_title(title: str, *, page_title: str = "", headings: tuple[str, ...] = (),
                site_names: tuple[str, ...] = (), url: str | None = None) -> str:
    """`title` without a site's name or a date before or after a separator.

    `page_title` is the <title>, `headings` the page's <h1> and og:title: a title
    that equals one of them without its suffix is that heading. A part is cut
    only when it is the site's name (og:site_name, the address's host) or a date.
    """
    title = " ".join(title.split())
    page_title = " ".join(page_title.split())
    # (a part of the <title> cut at its own dash: the whole <title> is read again)
    if page_title and title != page_title and _is_part(title, page_title) and \
            not any(norm(h) == norm(title) for h in headings):
        title = page_title
    spans = _piece_spans(title)
    if len(spans) == 1:
        return title
    # (an og:site_name that is the title itself, or has a separator of its own, names no site)
    site_names = tuple(n for n in site_names if norm(n) != norm(title) and not _SEPARATOR.search(n))
    names = _names(site_names, url)
    for heading in headings:  # ("Title" is the <h1>: " - BBC News" is the site's)
        wanted = norm(heading)
        for last in range(len(spans) - 1, 0, -1):
            head = title[:spans[last - 1][1]]
            if wanted and norm(head) == wanted and not _is_site(head, names):
                return head
    first, last = 0, len(spans)
    while last - first > 1 and _is_site_or_date(title[slice(*spans[last - 1])], names):
        last -= 1
    if last - first > 1 and _is_site(title[slice(*spans[first])], names):
        first += 1
    return title[spans[first][0]:spans[last - 1][1]]


def _piece_spans(title: str) -> list[tuple[int, int]]:
    """Where each piece between separators starts and ends."""
    spans, start = [], 0
    for m in _SEPARATOR.finditer(title):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(title)))
    return spans


def _is_part(part: str, whole: str) -> bool:
    """Whether `part` is `whole` cut at a separator, before or after it."""
    spans = _piece_spans(whole)
    return any(part == whole[:end] for _, end in spans[:-1]) or \
        any(part == whole[start:] for start, _ in spans[1:])


def _names(site_names: tuple[str, ...], url: str | None) -> tuple[list[list[str]], list[str]]:
    """The site's names as lists of words (og:site_name), and its host's telling labels."""
    names = [_words(n) for n in site_names if n and _words(n)]
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.lower().split(".") if label and label not in _HOST_PARTS_IGNORED]
    return names, labels


def _is_site_or_date(piece: str, names) -> bool:
    return _is_site(piece, names) or _is_date(piece)


def _is_site(piece: str, names) -> bool:
    """Whether a piece of a title is the site's name: og:site_name, or its host
    ("The Guardian" on theguardian.com, "BBC News" on bbc.co.uk), or an address."""
    words = _words(piece)
    if not words:
        return False
    if _DOMAIN.fullmatch(piece.strip()):
        return True
    site_names, labels = names
    joined = "".join(words)
    for name in site_names:
        if joined == "".join(name) or (words == name[:len(words)] and 2 * len(words) >= len(name)):
            return True
        if name == words[:len(name)] and _site_words(words[len(name):]):
            return True
    return any("".join(words[:k]) == label and _site_words(words[k:])
               for label in labels for k in range(1, len(words) + 1))


def _site_words(words: list[str]) -> bool:
    """Whether words after a site's name still name it ("News" in "BBC News")."""
    return all(w in _SITE_WORDS for w in words)


def _is_date(piece: str) -> bool:
    """Whether a piece of a title is a date alone ("19.01.2020", «15 августа 2016 г.»)."""
    found = find_dates(piece)
    if len(found) != 1:
        return False
    rest = piece[:found[0].start] + " " + piece[found[0].end:]
    return bool(_DATE_REST.fullmatch(rest))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def norm(text: str) -> str:
    """Its words, lower-cased, one space apart: for comparing a title with a heading."""
    return " ".join(_words(text))
