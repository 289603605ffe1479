"""A web page made ready for its main text to be found: what a reader does not read as text left
out (empty links, footnote marks, wiki edit links, copyright notices)."""

from __future__ import annotations

import re
from copy import deepcopy

# A copyright notice: "© 2019 Science X Network", "Copyright © Reuters", "(c) 2020 AFP", "Copyright: A. Smith".
_NOTICE_RE = re.compile(r"^\s*(©|\(c\)\s*\d{4}|copyright\s*(©|\(c\)|\d{4}|:))", re.I)
_NOTICE_WORDS = 12
# A footnote mark: [1], [a], [note 3], 12 (a link to a note on the same page).
_MARK_RE = re.compile(r"^\s*(\[[^\[\]]{1,12}\]|\d{1,3})\s*$")
_SHOWN = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"


def for_reading(tree):
    """A copy of the page without empty links, footnote marks, wiki edit links and copyright notices."""
    tree = deepcopy(tree)
    for element in tree.xpath(
        "//a[not(*) and not(normalize-space())]"  # (a heading's empty anchor: trafilatura takes it for a menu)
        " | //span[contains(concat(' ', @class, ' '), ' mw-editsection ')]"  # (MediaWiki's [edit])
    ):
        _remove(element)
    for line in tree.xpath("//p | //div[not(*)]"):
        if _NOTICE_RE.match(line.text_content()) and len(shown_words(line)) <= _NOTICE_WORDS:
            _remove(line)  # (a copyright notice under an article, as its site's footer has)
    for mark in tree.xpath("//sup[a[starts-with(@href, '#')]]"):
        if _MARK_RE.match(mark.text_content()):
            _remove(mark)
    return tree


def _remove(element) -> None:
    """Drops an element, its tail kept in place."""
    if element.getparent() is not None:
        element.drop_tree()


def shown_words(element) -> list[str]:
    """The words an element shows (not its scripts' and styles')."""
    return " ".join(element.xpath(_SHOWN)).split()
