"""Known-item queries: a few words a person remembers of one statement; how
high does that statement rank (MRR@10)?

Four kinds of query, made from an index with a fixed seed:

    words   2-3 words of one paragraph (of ~1000 characters at most) that few statements use, each in another
            form (pymorphy3's lexeme for Russian: another case, number or tense,
            no forms no one types; another ending for English, same Snowball stem)
    phrase  3-6 words standing together in the statement and in no other, one
            of them rare, typed without quotes
    title   2-4 words of the title (not of a UN speech's, which is its country),
            one perhaps in another form, together in no other title
    name    a name (a UN speech's country, short: "Ghana"; else a surname, place
            or organisation within a sentence, in its dictionary form) and 1-2
            rare words of one paragraph (not names themselves: "Armenians")

Only queries that find their statement among others are kept, and of the
words and name kinds only those whose words no other statement holds
together in one paragraph (title included): a query that cannot tell its
statement from another (a UN speech of the same country a year later that
uses the same word, the same news item reported twice) measures nothing. The queries of
corpus/ (UN speeches, Meduza articles, the seed statement) are written to
bench/known_items.json, which tests/test_proximity.py reads too. `measure`
adds Russian queries of news items made from ../shared's Channel One set, on
an index of it built under bench/work/known_items/ and kept there with the
queries (the set has no licence: neither its text nor queries of it go into
the project); without ../shared they are skipped with a notice.

Example:

    python -m bench.known_items make --index index
    python -m bench.known_items measure --index index
    python -m bench.known_items measure --index index --weights 0,1,2 --b 0.5,0.75
    python -m bench.known_items measure --index index --k1 0.9,1.2 --depth 20,50 --misses --fts5
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import click

from bench import BENCH_DIR, DEFAULT_WORK, SHARED_RAW, SHIPPED_CORPUS
from bench.known_item_queries import SEED, make, source
from search.exec import proximity
from search.lang.analysis import WORD_RE
from search.engine import SearchIndex
from search.errors import IndexUnusable
from search.exec.scoring import CachedBM25F

KNOWN_ITEMS = BENCH_DIR / "known_items.json"
PER_LANG = 160
NEWS_ITEMS = 60  # news queries made from ../shared (kept under bench/work/, never in the project)
NEWS_SAMPLE = 3000  # news items in the shared index (as bench/cross_language.py samples them)
AT = 10  # MRR@10: a statement ranked lower counts as not found
DEPTH = 100  # a statement ranked lower counts as not found (reciprocal rank 0)
# Queries of common words, whose long posting lists are the proximity's dearest case.
COMMON = [{"query": q} for q in (
    "united nations", "security council", "climate change", "international community peace",
    "sustainable development goals", "российской федерации", "уголовное дело",
    "министерство иностранных дел")]
def load(path: Path = KNOWN_ITEMS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def rank(index: SearchIndex, item: dict) -> int | None:
    """The statement's rank for its query (1 is first), None below DEPTH."""
    return ranked(index, item)[0]


def ranked(index: SearchIndex, item: dict) -> tuple[int | None, list[str]]:
    """The statement's rank (None below DEPTH) and the ids ranked above it."""
    hits = index.search(item["query"], per_page=DEPTH, facets=False, with_snippets=False,
                        autocorrect=False).hits
    ids = [hit.id for hit in hits]
    found = ids.index(item["id"]) + 1 if item["id"] in ids else None
    return found, ids[:(found or DEPTH) - 1]


def reciprocal(found: int | None, at: int = AT) -> float:
    return 1 / found if found and found <= at else 0.0


def mrr(index: SearchIndex, items: list[dict], lang: str | None = None, at: int = AT) -> float:
    """Mean reciprocal rank at `at` of the items (of one language, when given)."""
    return statistics.mean(reciprocal(rank(index, i), at) for i in items if lang in (None, i["lang"]))


def news_items(work: Path = DEFAULT_WORK / "known_items", remake: bool = False,
               log=click.echo) -> tuple[list[dict], Path] | None:
    """Queries made from the news items of ../shared, and the index they are
    measured on (its UN speeches, Meduza and NEWS_SAMPLE news items, built
    under `work` on first use); None when ../shared is not here. The queries
    are made once and kept beside the index (`remake` makes them afresh): made
    again with other code, which finds other statements, they would differ.
    The set has no licence: neither its text nor queries made of it go into the project."""
    if not (SHARED_RAW / "ungdc").is_dir():
        return None
    from bench.cross_language import shared_corpus
    from indexer.build import update_index

    index_dir = work / "index"
    corpus = shared_corpus(work, NEWS_SAMPLE)
    recipe = (corpus / ".recipe").read_text()
    if not (work / ".indexed").is_file() or (work / ".indexed").read_text() != recipe \
            or not _opens(index_dir):  # (built by another version of the indexer)
        log(f"indexing {corpus} (UN speeches, Meduza, {NEWS_SAMPLE} news items) into {index_dir}")
        update_index(corpus, index_dir, rebuild=True)
        (work / ".indexed").write_text(recipe)
    kept = work / "news_items.json"
    stamp = f"{recipe} {SEED} {NEWS_ITEMS}"
    if not remake and kept.is_file():
        saved = json.loads(kept.read_text(encoding="utf-8"))
        if saved.get("stamp") == stamp:
            return saved["items"], index_dir
    with SearchIndex(index_dir) as index:
        items = make(index, NEWS_ITEMS, prefixes=("news/",), langs=("ru",), seed=f"{SEED}-news")
    kept.write_text(json.dumps({"stamp": stamp, "items": items}, ensure_ascii=False), encoding="utf-8")
    return items, index_dir


def _opens(index_dir: Path) -> bool:
    """Whether this code can search the index in `index_dir`."""
    try:
        with SearchIndex(index_dir):
            return True
    except IndexUnusable:
        return False


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


def fts5_ranks(corpus: Path, items: list[dict], database: Path, tokenizer: str) -> list[int | None]:
    """Each item's rank in SQLite FTS5 (bm25, the title weighted as ours), over the
    statements of `corpus` as our reader reads them; the words ANDed as typed."""
    import sqlite3

    from bench.engines.documents import read_documents
    from bench.engines.sqlite_fts5 import TITLE_WEIGHT

    stamp = database.with_suffix(".recipe")
    if not database.is_file() or not stamp.is_file() or stamp.read_text() != f"{corpus} {tokenizer}":
        database.parent.mkdir(parents=True, exist_ok=True)
        database.unlink(missing_ok=True)
        with sqlite3.connect(database) as db:
            db.execute(f"CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, body, tokenize='{tokenizer}')")
            db.executemany("INSERT INTO fts VALUES (?, ?, ?)",
                           ((d.id, d.title, d.body) for d in read_documents(corpus)))
        stamp.write_text(f"{corpus} {tokenizer}")
    ranks = []
    with sqlite3.connect(database) as db:
        for item in items:
            match = " AND ".join(f'"{m.group()}"' for m in WORD_RE.finditer(item["query"]))
            ids = [row[0] for row in db.execute(
                f"SELECT id FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, {TITLE_WEIGHT}, 1.0) LIMIT {DEPTH}",
                (match,))]
            ranks.append(ids.index(item["id"]) + 1 if item["id"] in ids else None)
    return ranks


def breakdown(rows: list[tuple[dict, int | None]], key) -> dict[tuple, tuple[int, float]]:
    """(language, key) → (queries, MRR@AT) over (item, rank) rows."""
    groups: dict[tuple, list[float]] = {}
    for item, found in rows:
        groups.setdefault((item["lang"], key(item)), []).append(reciprocal(found))
    return {k: (len(v), statistics.mean(v)) for k, v in sorted(groups.items())}


def report(setting: str, found: list[tuple[dict, int | None]]) -> None:
    """MRR@AT of (item, rank) pairs per language, then by source and by kind."""
    total = breakdown(found, lambda i: "all")
    click.echo(f"{setting}:  MRR@{AT} " + "  ".join(f"{lang} {m:.3f} ({n})" for (lang, _), (n, m) in total.items()))
    for label, key in (("source", lambda i: source(i["id"])), ("kind", lambda i: i.get("kind", "words"))):
        click.echo(f"  by {label}: " + ", ".join(
            f"{lang} {k} {m:.3f} ({n})" for (lang, k), (n, m) in breakdown(found, key).items()))


@main.command("measure")
@click.option("--index", "index_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--weights", default=f"0,{proximity.WEIGHT}", show_default=True,
              help="Proximity weights to compare (0: BM25F alone).")
@click.option("--b", "bs", default="0.75", show_default=True,
              help="BM25F length normalisations (B) to compare.")
@click.option("--depth", "depths", default=f"{proximity.DEPTH}", show_default=True,
              help="Statements the proximity re-ranks (its DEPTH) to compare.")
@click.option("--k1", "k1s", default="1.2", show_default=True, help="BM25F saturations (K1) to compare.")
@click.option("--news/--no-news", default=True, show_default=True,
              help="Also the queries of ../shared's news items (skipped when absent).")
@click.option("--remake-news", is_flag=True, help="Make the news queries afresh (they are made once and kept "
              "in bench/work/known_items/news_items.json).")
@click.option("--misses", is_flag=True, help="List each query whose statement is not first, "
              "with its rank and the statements above it (at the first setting).")
@click.option("--fts5", is_flag=True, help="Also SQLite FTS5 on the same statements and queries, "
              "without stemming (unicode61) and with Porter's (built under bench/work/known_items/).")
@click.option("--times/--no-times", default=True, show_default=True, help="Also the search times.")
@click.option("--items", "items_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=KNOWN_ITEMS, help="The queries of corpus/ [default: bench/known_items.json].")
def measure_command(index_dir, weights, bs, k1s, depths, news, remake_news, misses, fts5, times, items_path):
    """MRR@10 per language, source and kind, and the median search time, side
    by side for each proximity weight and depth and BM25F B and K1."""
    items = load(items_path)
    counts = {lang: sum(i["lang"] == lang for i in items) for lang in ("en", "ru")}
    click.echo(f"{len(items)} queries of corpus/: {counts['en']} English, {counts['ru']} Russian")
    sets = [(items, Path(index_dir))]
    if news:
        made = news_items(remake=remake_news)
        if made is None:
            click.echo(f"news: skipped ({SHARED_RAW} is not here)")
        else:
            click.echo(f"{len(made[0])} Russian queries of news items, on {made[1]}")
            sets.append(made)
    shipped = proximity.WEIGHT, proximity.DEPTH
    first = True
    try:
        for b, k1, depth, weight in ((float(b), float(k), int(d), float(w))
                                     for b in bs.split(",") for k in k1s.split(",")
                                     for d in depths.split(",") for w in weights.split(",")):
            proximity.WEIGHT, proximity.DEPTH = weight, depth
            rows = []
            for queries, where in sets:
                with SearchIndex(where) as index:
                    index._snapshots._weighting = CachedBM25F(index._norms, B=b, K1=k1)
                    rows += [(item, *ranked(index, item)) for item in queries]
            report(f"B {b:.2f}  K1 {k1:.2f}  proximity {weight:4.1f} depth {depth}",
                   [(item, r) for item, r, _ in rows])
            if misses and first:
                for item, r, above in rows:
                    if r != 1:
                        click.echo(f"  miss {item['lang']} {item.get('kind', 'words')} rank {r or '>' + str(DEPTH)}"
                                   f" {item['query']!r} → {item['id']}; above: {', '.join(above[:3])}")
            first = False
    finally:
        proximity.WEIGHT, proximity.DEPTH = shipped
    if fts5:
        work = DEFAULT_WORK / "known_items"
        corpora = [SHIPPED_CORPUS] + [work / "corpus"] * (len(sets) - 1)
        for tokenizer in ("unicode61", "porter unicode61"):
            found = []
            for (queries, _), corpus in zip(sets, corpora):
                name = f"fts5-{corpus.parent.name}-{tokenizer.split()[0]}.sqlite"
                found += zip(queries, fts5_ranks(corpus, queries, work / name, tokenizer))
            report(f"SQLite FTS5 ({tokenizer})", found)
    if not times:
        return
    with SearchIndex(index_dir) as index:
        for label, queries in (("known items", items), ("common words", COMMON)):
            before, after = search_ms(index, queries, (0.0, shipped[0]))
            click.echo(f"search time of {label}, proximity off / on (weight {shipped[0]}), interleaved: "
                       f"{before:.2f} / {after:.2f} ms median ({after / before:.2f}x)")


if __name__ == "__main__":
    main()
