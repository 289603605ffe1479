"""How close a reader's text and metadata come to a reference: small pure functions.

Words are NFKC-normalised (a ligature ﬀ is ff), case-folded, ё read as е, soft hyphens removed and punctuation
dropped (a word is a run of letters and digits), the same on both sides.
Word F1 compares the two texts as multisets of words; the reading-order
figure is the share of the reference's distinct 5-word runs (a set, not a
multiset) found anywhere among ours. A text given as sections (a list of
word lists: a statement's language sections) has the runs within each
section, none across two.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

RUN = 5  # words in a run
_WORD = re.compile(r"[^\W_]+")
_SOFT_HYPHEN = "\u00ad"


def words(text: str) -> list[str]:
    """The text's words in order: NFKC (ligatures apart), case-folded, ё → е, soft hyphens out, punctuation dropped."""
    text = unicodedata.normalize("NFKC", text.replace(_SOFT_HYPHEN, "")).casefold()
    return _WORD.findall(text.replace("ё", "е"))


def word_f1(ours: list[str], reference: list[str]) -> float | None:
    """F1 of the words as multisets; None when the reference has no words (nothing to recover)."""
    if not reference:
        return None
    common = sum((Counter(ours) & Counter(reference)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(ours), common / len(reference)
    return 2 * precision * recall / (precision + recall)


def runs(tokens: list[str] | list[list[str]], n: int = RUN) -> list[tuple[str, ...]]:
    """Every run of n consecutive words, in order; of a text in sections, the runs within each section."""
    if tokens and isinstance(tokens[0], list):
        return [run for section in tokens for run in runs(section, n)]
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def run_share(ours: list[str] | list[list[str]], reference: list[str] | list[list[str]],
              n: int = RUN) -> float | None:
    """Share of the reference's distinct n-word runs found among ours; None below n reference words.
    Either text may be given in sections (runs within each section only)."""
    wanted = set(runs(reference, n))
    if not wanted:
        return None
    return len(wanted & set(runs(ours, n))) / len(wanted)


def first_missing_run(ours: list[str] | list[list[str]], reference: list[str] | list[list[str]],
                      n: int = RUN) -> str | None:
    """The first reference run (in reading order) that ours lacks, as text; None if none is."""
    have = set(runs(ours, n))
    for run in runs(reference, n):
        if run not in have:
            return " ".join(run)
    return None


def normal_title(title: str | None) -> str:
    """A title for comparison: its words (see `words`) joined by single spaces."""
    return " ".join(words(title or ""))


def title_match(expected: str | None, got: str | None) -> bool | None:
    """Equality of normalised titles; None when no title is expected (the file has none)."""
    if expected is None:
        return None
    return normal_title(expected) == normal_title(got)


def date_match(expected: str | None, got: str | None) -> bool:
    """The ISO date expected, or no date when none is expected (a date found in a file without one is wrong)."""
    return (expected or None) == (got or None)


def languages_match(expected: list[str], got: list[str]) -> bool:
    """The same languages, in any order."""
    return set(expected) == set(got)


def meets_goal(f1: float | None, share: float | None, f1_goal: float = 0.98,
               share_goal: float = 0.95) -> bool | None:
    """Whether a file with a text layer reaches both goals; None without a reference text."""
    if f1 is None:
        return None
    return f1 >= f1_goal and (share is None or share >= share_goal)


def mean(values) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None
