"""One-typo queries: how often a word typed with one slip still shows its statements.

Words of 6+ letters that statements use are taken from the index's own
vocabulary (Russian ones from pymorphy3's dictionary), each typed with one
random edit (a letter dropped, added, changed or two swapped, anywhere,
the first letter included) and, separately, with one edit at the first
letter. A query succeeds when its first 10 hits, without a click, hold a
statement that the intended word finds. The same queries are run as typed
(no correction) for the figure before, and the time of candidate
generation is measured on the shipped vocabulary and, when ../shared is
there, on the vocabulary of the large corpora (news, UN debates, Meduza).

Example:

    python -m bench.typos --index index
    python -m bench.typos --index index --per-lang 200 --large
"""

from __future__ import annotations

import random
import statistics
import time
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import click

from bench import DEFAULT_WORK, SHARED_RAW, SHIPPED_CORPUS
from search.lang.analysis import is_dictionary_word, is_stop_word, script, surface_words
from search.lang.correction import ALPHABETS, candidates
from search.engine import SearchIndex

MIN_LENGTH = 6
MIN_STATEMENTS = 2  # an intended word is used by at least this many statements
TOP = 10
SEED = "statements-typos"


@dataclass
class Typo:
    intended: str
    typed: str
    first_letter: bool  # the edit is at the first letter


def typed_with_one_edit(word: str, rng: random.Random, at: int | None = None) -> str:
    """`word` with one random edit at position `at` (random when None)."""
    letters = ALPHABETS[script(word)]
    kind = rng.choice(("drop", "add", "change", "swap"))
    i = rng.randrange(len(word)) if at is None else at
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "add":
        return word[:i] + rng.choice(letters) + word[i:]
    if kind == "change":
        return word[:i] + rng.choice(letters.replace(word[i], "")) + word[i + 1:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def intended_words(vocabulary, lang: str) -> list[str]:
    """Words a researcher types: whole words of one script, used by a few statements."""
    letters = set(ALPHABETS[lang])
    return [w for w in vocabulary.words
            if len(w) >= MIN_LENGTH and set(w) <= letters and not is_stop_word(w)
            and (lang != "ru" or is_dictionary_word(w))
            and vocabulary.frequency(w) >= MIN_STATEMENTS]


def make_typos(vocabulary, lang: str, count: int, rng: random.Random) -> list[Typo]:
    """`count` words, each typed once anywhere and once at its first letter;
    slips that give another real word are typed again."""
    words = intended_words(vocabulary, lang)
    out = []
    for word in rng.sample(words, min(count, len(words))):
        for at in (None, 0):
            for _ in range(20):
                typed = typed_with_one_edit(word, rng, at)
                if typed not in vocabulary and not is_dictionary_word(typed):
                    out.append(Typo(word, typed, at == 0 or typed[:1] != word[:1]))
                    break
    return out


def shown(index: SearchIndex, typo: Typo, autocorrect: bool) -> bool:
    """Whether the first hits of the typed word hold a statement the intended word finds."""
    meant = {hit.id for hit in index.hits(typo.intended, autocorrect=False)}
    hits = index.search(typo.typed, per_page=TOP, facets=False, with_snippets=False,
                        autocorrect=autocorrect).hits
    return any(hit.id in meant for hit in hits)


def search_ms(index: SearchIndex, typos: list[Typo], rounds: int = 3) -> tuple[float, float]:
    """Median milliseconds of a first page of the typed words, without and with
    correction, interleaved so the machine's load falls on both alike."""
    times = ([], [])
    for _ in range(rounds):
        for typo in typos:
            for n, autocorrect in enumerate((False, True)):
                started = time.perf_counter()
                index.search(typo.typed, autocorrect=autocorrect)
                times[n].append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


class _Words:
    """A sorted word list with `in`, as search.lang.correction expects."""

    def __init__(self, words):
        self.words = sorted(words)

    def __contains__(self, word):
        i = bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word


def large_vocabulary() -> _Words:
    """The words of the texts the large benchmark corpora are made of."""
    from bench.corpora import _shared_texts

    words = set()
    for text in _shared_texts():
        words |= surface_words(text)
    return _Words(words)


def candidate_ms(words, typos: list[Typo]) -> dict[int, float]:
    """Mean milliseconds to find the candidates one and two edits away."""
    out = {}
    for edits in (1, 2):
        times = []
        for typo in typos:
            started = time.perf_counter()
            candidates(typo.typed, words, edits)
            times.append((time.perf_counter() - started) * 1000)
        out[edits] = statistics.mean(times)
    return out


def default_index() -> Path:
    """An index of the shipped corpus under the benchmark's work directory (kept up to date)."""
    from indexer.build import update_index

    where = DEFAULT_WORK / "typos-index"
    update_index(SHIPPED_CORPUS, where)
    return where


@click.command(epilog=__doc__[__doc__.index("Example:"):])
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Index of the shipped corpus (default: built under bench/work).")
@click.option("--per-lang", default=100, show_default=True, help="Intended words per language.")
@click.option("--large", is_flag=True, help="Also time candidates on the large corpora's vocabulary.")
def main(index_dir, per_lang, large):
    """The one-typo share, before and after automatic correction."""
    rng = random.Random(SEED)
    with SearchIndex(index_dir or default_index()) as index:
        # The vocabulary of one snapshot, held open while the words are picked.
        vocabulary, snap = index._snapshots.retrying(lambda snap: snap.vocabulary(), detach=True)
        all_typos = []
        for lang in ("en", "ru"):
            typos = make_typos(vocabulary, lang, per_lang, rng)
            all_typos += typos
            for label, group in (("any letter", [t for t in typos if not t.first_letter]),
                                 ("first letter", [t for t in typos if t.first_letter])):
                started = time.perf_counter()
                after = [shown(index, t, True) for t in group]
                ms = (time.perf_counter() - started) * 1000 / max(len(group), 1)
                before = [shown(index, t, False) for t in group]
                misses = [f"{t.typed}→{t.intended}" for t, ok in zip(group, after) if not ok]
                click.echo(f"{lang} {label:12} {len(group):4} queries: "
                           f"before {100 * sum(before) / len(group):5.1f}%  "
                           f"after {100 * sum(after) / len(group):5.1f}%  "
                           f"({ms:.1f} ms a query, with the intended word's own search)")
                click.echo(f"   missed: {', '.join(misses[:12])}")
        total = [shown(index, t, True) for t in all_typos]
        click.echo(f"one-typo share: {100 * sum(total) / len(total):.1f}% of {len(total)} queries")
        typed, corrected = search_ms(index, all_typos)
        click.echo(f"search time of the typos, as typed / corrected (interleaved): "
                   f"{typed:.2f} / {corrected:.2f} ms median")
        shipped = candidate_ms(vocabulary, all_typos)
        click.echo(f"candidates, shipped vocabulary ({len(vocabulary.words):,} words): "
                   f"1 edit {shipped[1]:.2f} ms, 2 edits {shipped[2]:.2f} ms")
        index._snapshots.release(snap)
    if large and SHARED_RAW.is_dir():
        words = large_vocabulary()
        big = candidate_ms(words, all_typos)
        click.echo(f"candidates, large vocabulary ({len(words.words):,} words): "
                   f"1 edit {big[1]:.2f} ms, 2 edits {big[2]:.2f} ms")


if __name__ == "__main__":
    main()
