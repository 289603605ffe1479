"""Which language of one script a text is in: the letters only one language
writes, then which language's dictionary knows its words. Used for a
paragraph's language (indexer/extract.py); its language table is langdata's."""

from __future__ import annotations

from search.lang.table import LANGUAGE

# Words with a language's own letters that decide without the dictionaries,
# when no other language's own letters are seen: a Russian paragraph has
# words with ы, э, ъ or ё within its first lines, a Ukrainian one with і, ї, є or ґ.
DECISIVE_LETTERS = 2


def _own_letter_words(words: list[str], code: str) -> int:
    letters = frozenset(LANGUAGE[code].letters)
    return sum(1 for w in words if letters and not letters.isdisjoint(w))


def _known_words(words: list[str], code: str) -> int:
    """How many words the language's dictionary knows as words (not predicted)."""
    dictionary = LANGUAGE[code].morphology
    if not dictionary:
        return 0
    from search.lang.morphology import _morph  # (one analyser per language and process)

    morph = _morph(code)
    return sum(1 for w in words if morph.word_is_known(w))


def text_language(words: list[str], candidates: tuple[str, ...]) -> str:
    """The language among `candidates` (one script's languages, its default
    first) that words of a text are in.

    A language whose own letters are in DECISIVE_LETTERS words, no other's
    being seen, is the text's; otherwise each language scores the words with
    its own letters plus the words its dictionary knows, and the best wins,
    a tie going to the first (so a short text nothing tells apart, «Москва»,
    stays in the default language).
    """
    if len(candidates) == 1:
        return candidates[0]
    words = [w.lower() for w in words]
    own = {code: _own_letter_words(words, code) for code in candidates}
    if sum(own.values()) == max(own.values()) >= DECISIVE_LETTERS:
        return max(candidates, key=own.__getitem__)
    scores = {code: own[code] + _known_words(words, code) for code in candidates}
    best = max(scores.values())
    return next(code for code in candidates if scores[code] == best)
