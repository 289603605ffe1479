"""Spelling candidates from the corpus's own words, best first.

A candidate may differ from the typed word in any letter, the first one
included ("етербургский" → «петербургский»). Words one edit away are found
by generating every one-edit variant of the typed word and looking each up
in the sorted word list (a few hundred binary searches, whatever the size
of the vocabulary); words two edits away, for long words only, come from
Whoosh's Levenshtein automaton over the same list, and keep the first letter
(two slips, one of them there, is less a typo than another word:
"unbalanced" is not «balanced»). Candidates are ranked by Damerau-Levenshtein distance, then by
whether they are known words, then by how plausible the edit is as a typing
slip (a dropped letter, a swap, a neighbouring key, a confused vowel), then
by how many statements use them.
"""

from __future__ import annotations


from search.lang.analysis import script

# Edits allowed, by the length of the typed word: (shortest length, edits), longest first.
MAX_EDITS = ((8, 2), (5, 1))
# A longer "word" is no slip of a real one (the longest words of either language
# have some 35 letters), and the edit automaton's work grows with its length:
# a 2,000-letter word took 3-10 s to find no correction.
MAX_CORRECTED = 40
# Two-edit candidates looked at, at most, from the automaton.
MAX_FAR_CANDIDATES = 200

ALPHABETS = {
    "ru": "абвгдежзийклмнопрстуфхцчшщъыьэюя",  # ё is folded into е by the index
    "en": "abcdefghijklmnopqrstuvwxyz",
}
KEYBOARD_ROWS = {
    "ru": ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"),
    "en": ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
}
# Letters Russian spelling confuses because they sound alike (unstressed vowels, ш/щ, ь/ъ).
SOUND_ALIKE = {frozenset(p) for p in ("ао", "еи", "ея", "иы", "еэ", "шщ", "ьъ")}

# What a one-edit slip costs, by kind: lower is a likelier slip.
SWAP, DOUBLED, DROPPED, NEAR_KEY, OTHER = 0.7, 0.7, 0.8, 0.8, 1.0


def max_edits(word: str) -> int:
    """How many edits a correction of `word` may make (0: too short or too long to correct)."""
    if len(word) > MAX_CORRECTED:
        return 0
    return next((edits for length, edits in MAX_EDITS if len(word) >= length), 0)


def one_edit_variants(word: str) -> set[str]:
    """Every string one deletion, swap, substitution or insertion from `word`,
    with letters of the word's script."""
    letters = ALPHABETS.get(script(word), "")
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


def candidates(word: str, words, edits: int) -> list[tuple[str, int]]:
    """(candidate, distance) for the words of `words` (a sorted list with fast
    `in`: search.exec.vocabulary.WordList) exactly `edits` edits from `word`."""
    if edits == 1:
        return [(c, 1) for c in one_edit_variants(word) if c in words]
    found = words.neighbours(word, edits, MAX_FAR_CANDIDATES)
    return [(c, d) for c in found if (d := distance(word, c)) == edits]


def slip_cost(typed: str, meant: str) -> float:
    """How unlikely typing `typed` for `meant` is, for words one edit apart."""
    if len(typed) == len(meant):
        diff = [i for i, (a, b) in enumerate(zip(typed, meant)) if a != b]
        if len(diff) == 2:
            return SWAP
        a, b = typed[diff[0]], meant[diff[0]]
        return NEAR_KEY if _near_keys(a, b) or frozenset((a, b)) in SOUND_ALIKE else OTHER
    if len(typed) < len(meant):  # a letter dropped
        i = _first_difference(typed, meant)
        return DOUBLED if _doubles(meant, i) else DROPPED
    i = _first_difference(meant, typed)  # a letter too many
    if _doubles(typed, i):
        return DOUBLED
    extra, neighbours = typed[i], typed[max(i - 1, 0):i] + typed[i + 1:i + 2]
    return NEAR_KEY if any(_near_keys(extra, n) for n in neighbours) else OTHER


def _first_difference(short: str, long: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(short, long)) if a != b), len(short))


def _doubles(word: str, i: int) -> bool:
    """Whether the letter at `i` repeats a neighbour ("committee")."""
    return (i > 0 and word[i - 1] == word[i]) or (i + 1 < len(word) and word[i + 1] == word[i])


def _key_positions() -> dict[str, tuple[int, int]]:
    return {c: (r, col) for rows in KEYBOARD_ROWS.values()
            for r, row in enumerate(rows) for col, c in enumerate(row)}


_KEYS = _key_positions()


def _near_keys(a: str, b: str) -> bool:
    """Keys side by side, or touching on the next row (rows are staggered)."""
    pa, pb = _KEYS.get(a), _KEYS.get(b)
    if pa is None or pb is None or script(a) != script(b):
        return False
    (ra, ca), (rb, cb) = sorted((pa, pb))
    if ra == rb:
        return abs(ca - cb) == 1
    return rb == ra + 1 and cb in (ca - 1, ca)


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count as one edit)."""
    prev2 = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
