"""Synthetic statements made of real paragraphs, for corpora larger than the real sets.

A statement is English, Russian or both (like the seed press release), opens
with a dated header and a document number ("Press release 31 March 2020",
"No:064/20, …") and often mentions resolutions, years and amounts, so the
date and number filters and facets have work to do. Short items (`write_items`,
for a million statements) are news-sized records of new text from a chain of
the paragraphs' words instead. Everything is drawn from one seeded generator:
the same seed gives the same corpus, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.extract import paragraph_language, split_paragraphs
from indexer.decode import normalize

MIN_PARAGRAPH = 60  # characters: drops salutations ("Mr. President,")
MAX_PARAGRAPH = 1500  # and overlong OCR blocks
FILES_PER_DIR = 1000
ITEMS_PER_FILE = 1000  # short items per JSON Lines file
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")
# Security Council resolutions real statements cite; a few recur often, so a
# number filter finds a fair share of the corpus.
RESOLUTIONS = (822, 853, 874, 884, 242, 338, 1325, 1373, 1540, 1973, 2231, 2254, 2334)


@dataclass
class ParagraphPool:
    """Real paragraphs by language, in a stable order."""

    en: list[str]
    ru: list[str]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> ParagraphPool:
        pool = cls([], [])
        for text in texts:
            text = normalize(text)
            paragraphs = split_paragraphs(text)
            if len(paragraphs) == 1:  # hard-wrapped text without blank lines
                paragraphs = [p for p in text.split("\n") if p.strip()]
            for paragraph in paragraphs:
                if MIN_PARAGRAPH <= len(paragraph) <= MAX_PARAGRAPH:
                    lang = paragraph_language(paragraph)
                    if lang in ("en", "ru"):
                        getattr(pool, lang).append(paragraph)
        if not pool.en or not pool.ru:
            raise ValueError("the paragraph pool needs both English and Russian text")
        return pool

    def __len__(self) -> int:
        return len(self.en) + len(self.ru)


# --- one statement --------------------------------------------------------------


def _date_en(day: dt.date, rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


def _date_ru(day: dt.date, rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"{day.day} {MONTHS_RU[day.month - 1]} {day.year} года"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _mention(lang: str, rng: random.Random) -> str:
    """A sentence with a resolution, a year and an amount."""
    resolution = rng.choice(RESOLUTIONS)
    year = rng.randint(1975, 2024)
    amount = rng.choice((120, 350, 1_500, 4_000, 25_000, 1_000_000)) * rng.randint(1, 9)
    if lang == "en":
        return (f"The Security Council adopted resolution {resolution} ({year}); "
                f"since then some {amount:,} people have been affected.")
    grouped = f"{amount:,}".replace(",", " ")
    return (f"Совет Безопасности ООН принял резолюцию {resolution} ({year}), "
            f"с тех пор пострадали более {grouped} человек.")


def _title(paragraph: str, rng: random.Random) -> str:
    words = paragraph.split()[: rng.randint(5, 10)]
    return " ".join(words).rstrip(",.;:—-–«“\"") or "Statement"


def _body(pool: list[str], lang: str, count: int, rng: random.Random) -> list[str]:
    paragraphs = [rng.choice(pool) for _ in range(count)]
    if rng.random() < 0.4:
        at = rng.randrange(len(paragraphs))
        paragraphs[at] = f"{paragraphs[at]} {_mention(lang, rng)}"
    return paragraphs


def statement(pool: ParagraphPool, rng: random.Random) -> str:
    """One statement: header lines, then paragraphs in one or two languages."""
    kind = rng.choices(("en", "ru", "both"), weights=(45, 40, 15))[0]
    long = rng.random() < 0.5
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    number = f"{rng.randint(1, 400):03d}/{day.year % 100:02d}"
    dated = rng.random() < 0.9
    if kind == "ru":
        body = _body(pool.ru, "ru", rng.randint(3, 9) if long else rng.randint(1, 3), rng)
        label = rng.choice(("Пресс-релиз", "Заявление", "Сообщение"))
        head = [f"{label} {_date_ru(day, rng)}" if dated else label,
                f"№ {number}, {_title(body[0], rng)}"]
    else:
        count = rng.randint(3, 6) if long else rng.randint(1, 2)
        body = _body(pool.en, "en", count, rng)
        label = rng.choice(("Press release", "Statement", "News"))
        head = [f"{label} {_date_en(day, rng)}" if dated else label]
        if kind == "both":
            head.append(f"No:{number}, {_title(body[0], rng)} (En/Ru)")
            body += _body(pool.ru, "ru", count, rng)
        else:
            head.append(f"No:{number}, {_title(body[0], rng)}")
    return "\n\n".join(head + body) + "\n"


# --- many statements -----------------------------------------------------------------


def statements(pool: ParagraphPool, count: int, seed: str) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield statement(pool, rng)


def write_statements(pool: ParagraphPool, dest: Path, count: int, seed: str,
                     prefix: str = "s") -> int:
    """Writes `count` statements as text files under `dest`, a thousand per
    folder; returns the bytes written."""
    written = 0
    for n, text in enumerate(statements(pool, count, seed)):
        folder = dest / f"{prefix}{n // FILES_PER_DIR:03d}"
        if n % FILES_PER_DIR == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{prefix}{n:06d}.txt").write_bytes(data)
        written += len(data)
    return written


# --- short items -------------------------------------------------------------------------


class WordChain:
    """Each language's words and the words that follow them in the pool's
    paragraphs (as often as they do), to write text that is new: a million
    short items cut from the 86,000 paragraphs of ../shared would repeat each one in
    a dozen items, as no real collection does, and text reuse would pair them
    all. The chain's text has real word forms at their real frequencies."""

    def __init__(self, pool: ParagraphPool):
        self.follow: dict[str, dict[str, list[str]]] = {}
        self.starts: dict[str, list[str]] = {}
        self.lengths: dict[str, list[int]] = {}
        for lang in ("en", "ru"):
            follow: dict[str, list[str]] = {}
            starts, lengths = [], []
            for paragraph in getattr(pool, lang):
                words = paragraph.split()
                starts.append(words[0])
                lengths.append(len(words))
                for word, after in zip(words, words[1:]):
                    follow.setdefault(word, []).append(after)
            self.follow[lang], self.starts[lang], self.lengths[lang] = follow, starts, lengths

    def paragraph(self, lang: str, rng: random.Random) -> str:
        """About as many words as a pool paragraph has, each following the last
        as some word of the pool follows it (a word nothing follows starts anew)."""
        follow, starts = self.follow[lang], self.starts[lang]
        words = [rng.choice(starts)]
        for _ in range(rng.choice(self.lengths[lang]) - 1):
            after = follow.get(words[-1])
            words.append(rng.choice(after) if after else rng.choice(starts))
        return " ".join(words)


def item(chain: WordChain, rng: random.Random, n: int) -> dict:
    """One short item, as a news item is (one to three paragraphs in one language, its
    date and title given as fields): a record of a JSON Lines file."""
    lang = rng.choices(("ru", "en"), weights=(60, 40))[0]
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    paragraphs = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
    body = [chain.paragraph(lang, rng) for _ in range(paragraphs)]
    if rng.random() < 0.4:
        body[-1] = f"{body[-1]} {_mention(lang, rng)}"
    return {"id": f"item-{n:07d}", "date": day.isoformat(), "title": _title(body[0], rng),
            "lang": lang, "text": "\n\n".join(body)}


def write_items(pool: ParagraphPool, dest: Path, count: int, seed: str) -> int:
    """Writes `count` short items as JSON Lines, ITEMS_PER_FILE to a file and
    FILES_PER_DIR files to a folder (a million items are a thousand files, not a
    million); returns the bytes written."""
    chain, rng, written = WordChain(pool), random.Random(seed), 0
    for first in range(0, count, ITEMS_PER_FILE):
        number = first // ITEMS_PER_FILE
        folder = dest / f"i{number // FILES_PER_DIR:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(item(chain, rng, n), ensure_ascii=False)
                 for n in range(first, min(first + ITEMS_PER_FILE, count))]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (folder / f"items-{number:04d}.jsonl").write_bytes(data)
        written += len(data)
    return written
