"""Known-item queries: a few distinctive words of one statement, in other forms;
how high does that statement rank?

Made from corpus/: for a statement, a paragraph of one language, and in it
2-3 words that few statements use (but more than one, so the ranking has to
choose), each put in another form (pymorphy3's lexeme for Russian: another
case or number; another ending for English, with the same Snowball stem).
Only queries that find their statement among others are kept. The set is
written to bench/known_items.json, which tests/test_proximity.py reads too.

Example:

    python -m bench.known_items make --index index
    python -m bench.known_items measure --index index
    python -m bench.known_items measure --index index --weights 0,1,2 --b 0.5,0.75
"""

from __future__ import annotations

import functools
import json
import random
import statistics
import time
from pathlib import Path

import click

from bench import BENCH_DIR
from search.analysis import (WORD_RE, _morph, fold, is_dictionary_word, is_stop_word, script,
                             word_terms)
from search import proximity
from search.engine import SearchIndex
from search.scoring import CachedBM25F

KNOWN_ITEMS = BENCH_DIR / "known_items.json"
PER_LANG = 80
DEPTH = 100  # a statement ranked lower counts as not found (reciprocal rank 0)
MIN_LENGTH = 6
RARE = (2, 25)  # a distinctive word: in this many statements, bounds included
MIN_FOUND = 2  # a query must find its statement and at least one other
SEED = "statements-known-items"
ITEMS_PER_STATEMENT = 3  # per language
# Queries of common words, whose long posting lists are the proximity's dearest case.
COMMON = [{"query": q} for q in (
    "united nations", "security council", "climate change", "international community peace",
    "sustainable development goals", "российской федерации", "уголовное дело",
    "министерство иностранных дел")]
ENGLISH_ENDINGS = ("", "s", "es", "ies", "e", "ed", "d", "ing", "ion", "ions", "ly", "al", "y")


def other_form(word: str, words, rng: random.Random) -> str | None:
    """`word` in another inflection with the same index terms, or None: for
    English, an ending that gives a word of `words` (the corpus's)."""
    if script(word) == "ru":
        parse = _morph().parse(word)[0]
        forms = sorted({f.word.replace("ё", "е") for f in parse.lexeme} - {word})
        forms = [f for f in forms if set(word_terms(f)) & set(word_terms(word))]
        return rng.choice(forms) if forms else None
    stem = word_terms(word)[0]
    bases = {word, word[:-1], word[:-2], word[:-3], stem}
    forms = sorted({b + end for b in bases for end in ENGLISH_ENDINGS} - {word})
    forms = [f for f in forms if f in words and word_terms(f)[0] == stem]
    return rng.choice(forms) if forms else None


def make(index: SearchIndex, per_lang: int) -> list[dict]:
    """The known-item queries of an index of corpus/, `per_lang` per language at most."""
    rng = random.Random(SEED)
    ids = sorted(hit.id for hit in index.hits("") if not hit.id.startswith(("tests/", "generated/")))
    rng.shuffle(ids)
    items = {"en": [], "ru": []}
    count = functools.lru_cache(maxsize=None)(lambda word: index.count(word, autocorrect=False))
    words, snap = index._snapshots.retrying(lambda snap: snap.vocabulary(), detach=True)
    try:
        for doc_id in ids:
            doc = index.document(doc_id)
            for section in doc.sections:
                lang = section.lang
                if lang not in items or len(items[lang]) >= per_lang:
                    continue
                made = _items(index, count, words, doc_id, lang, section.text, rng)
                items[lang] += made[:per_lang - len(items[lang])]
            if all(len(v) >= per_lang for v in items.values()):
                break
    finally:
        index._snapshots.release(snap)
    return items["en"] + items["ru"]


def _items(index, count, words_known, doc_id, lang, text, rng) -> list[dict]:
    """Up to ITEMS_PER_STATEMENT queries from paragraphs of one language of a statement."""
    paragraphs = [p for p in text.split("\n") if len(p) > 150]
    rng.shuffle(paragraphs)
    made = []
    for paragraph in paragraphs:
        if len(made) >= ITEMS_PER_STATEMENT:
            break
        words = []
        for m in WORD_RE.finditer(paragraph):
            word = fold(m.group())
            if (len(word) >= MIN_LENGTH and word.isalpha() and script(word) == lang
                    and not is_stop_word(word) and (lang != "ru" or is_dictionary_word(word))
                    and word not in words and RARE[0] <= count(word) <= RARE[1]):
                words.append(word)
        if len(words) < 2:
            continue
        chosen = rng.sample(words, min(len(words), rng.choice((2, 3))))
        forms = [other_form(w, words_known, rng) for w in chosen]
        if None in forms:
            continue
        query = " ".join(forms)
        found = [h.id for h in index.hits(query, autocorrect=False)]
        if doc_id in found and len(found) >= MIN_FOUND and all(m["query"] != query for m in made):
            made.append({"id": doc_id, "lang": lang, "query": query, "words": chosen, "found": len(found)})
    return made


def load(path: Path = KNOWN_ITEMS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def rank(index: SearchIndex, item: dict) -> int | None:
    """The statement's rank for its query (1 is first), None below DEPTH."""
    hits = index.search(item["query"], per_page=DEPTH, facets=False, with_snippets=False,
                        autocorrect=False).hits
    return next((n for n, hit in enumerate(hits, 1) if hit.id == item["id"]), None)


def mrr(index: SearchIndex, items: list[dict], lang: str | None = None) -> float:
    """Mean reciprocal rank of the items (of one language, when given)."""
    ranks = [rank(index, i) for i in items if lang in (None, i["lang"])]
    return statistics.mean(1 / r if r else 0.0 for r in ranks)


def search_ms(index: SearchIndex, items: list[dict], weights: tuple[float, ...],
              rounds: int = 5) -> list[float]:
    """Median milliseconds of a first page with snippets and facets, over the
    items' queries, for each proximity weight: interleaved query by query, so
    the machine's load falls on all alike."""
    times = [[] for _ in weights]
    shipped = proximity.WEIGHT
    try:
        for _ in range(rounds):
            for item in items:
                for n, weight in enumerate(weights):
                    proximity.WEIGHT = weight
                    started = time.perf_counter()
                    index.search(item["query"], autocorrect=False)
                    times[n].append((time.perf_counter() - started) * 1000)
    finally:
        proximity.WEIGHT = shipped
    return [statistics.median(t) for t in times]


@click.group(epilog=__doc__[__doc__.index("Example:"):])
def main():
    """Known-item queries over corpus/: make them, measure MRR."""


@main.command("make")
@click.option("--index", "index_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--per-lang", default=PER_LANG, show_default=True)
def make_command(index_dir, per_lang):
    """Write bench/known_items.json from an index of corpus/."""
    with SearchIndex(index_dir) as index:
        items = make(index, per_lang)
    KNOWN_ITEMS.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for lang in ("en", "ru"):
        click.echo(f"{lang}: {sum(i['lang'] == lang for i in items)} queries")


@main.command("measure")
@click.option("--index", "index_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--weights", default=f"0,{proximity.WEIGHT}", show_default=True,
              help="Proximity weights to compare (0: BM25F alone).")
@click.option("--b", "bs", default="0.75", show_default=True,
              help="BM25F length normalisations (B) to compare.")
def measure_command(index_dir, weights, bs):
    """MRR per language and the median search time, side by side for each
    proximity weight and BM25F B."""
    items = load()
    counts = {lang: sum(i["lang"] == lang for i in items) for lang in ("en", "ru")}
    click.echo(f"{len(items)} queries: {counts['en']} English, {counts['ru']} Russian")
    shipped = proximity.WEIGHT
    try:
        for b in (float(x) for x in bs.split(",")):
            for weight in (float(x) for x in weights.split(",")):
                proximity.WEIGHT = weight
                with SearchIndex(index_dir) as index:
                    index._snapshots._weighting = CachedBM25F(index._norms, B=b)
                    en, ru = mrr(index, items, "en"), mrr(index, items, "ru")
                click.echo(f"B {b:.2f}  proximity {weight:4.1f}:  MRR en {en:.3f}  ru {ru:.3f}")
    finally:
        proximity.WEIGHT = shipped
    with SearchIndex(index_dir) as index:
        for label, queries in (("known items", items), ("common words", COMMON)):
            before, after = search_ms(index, queries, (0.0, shipped))
            click.echo(f"search time of {label}, proximity off / on (weight {shipped}), interleaved: "
                       f"{before:.2f} / {after:.2f} ms median ({after / before:.2f}x)")


if __name__ == "__main__":
    main()
