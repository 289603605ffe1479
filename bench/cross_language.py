"""Names across languages, measured: for each country or organisation that
Russian-only statements name, search its English name and check whether the
top 10 holds a Russian-only statement naming it (the goal: 90% of them); and
for twelve countries, whether the first three hits are about the country,
whatever their language (its own UN speech, or a statement naming it densely),
rather than statements naming it in passing.

Corpora: the shipped corpus (its Russian-only statements are Meduza's), and,
when ../shared/corpus-raw is present, all its UN speeches, Meduza's articles
and a sample of the Channel One news (which has no licence: read from
../shared, written only under bench/work/). The same queries run with names
exact (names=exact) as the baseline, side by side, with their median times.
"""

from __future__ import annotations

import csv
import json
import shutil
import statistics
import time
from pathlib import Path

import click

from bench import DEFAULT_WORK, SHARED_RAW, SHIPPED_CORPUS
from bench.corpora import NEWS_FILES, UNGDC_SESSIONS
from indexer.build import update_index
from search.lang import gazetteer
from search import schema as S
from search.exec import storage
from search.engine import SearchIndex
from search.results import Filters

TOP = 10
GOAL = 0.90
# Countries searched by their English name for the dense-first measure: each
# has its own UN speeches in corpus/ (named by its ISO 3166 alpha-3 code) and
# Russian-only statements naming it.
DENSE_COUNTRIES = {"DE": "DEU", "AM": "ARM", "FR": "FRA", "CN": "CHN", "UA": "UKR", "US": "USA",
                   "GB": "GBR", "JP": "JPN", "IL": "ISR", "SY": "SYR", "KZ": "KAZ", "PL": "POL"}
DENSE_PER_1000 = 3.0  # mentions per 1,000 words from which a statement names a country densely
FIRST = 3  # the first hits looked at


def shared_corpus(where: Path, news: int) -> Path:
    """The shared set under `where`: every UN speech, Meduza, every n-th news item up to `news`."""
    corpus = where / "corpus"
    stamp = corpus / ".recipe"
    recipe = f"ungdc+meduza+news{news}"
    if stamp.exists() and stamp.read_text() == recipe:
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    for session in sorted(SHARED_RAW.glob(UNGDC_SESSIONS)):
        shutil.copytree(session, corpus / "ungdc" / session.name,
                        ignore=shutil.ignore_patterns("*.xlsx", "*.csv"))
    shutil.copytree(SHARED_RAW / "ru-golunov-meduza", corpus / "meduza",
                    ignore=shutil.ignore_patterns("*.txt"))
    rows = [row for path in sorted(SHARED_RAW.glob(NEWS_FILES))
            for row in csv.DictReader(open(path, newline="", encoding="utf-8"))]
    step = max(1, len(rows) // news) if news else 0
    lines = [json.dumps({"id": f"news-{n}", "date": row["date_extracted"], "lang": "ru",
                         "title": " ".join(row["title"].split()) or None, "text": row["content"]},
                        ensure_ascii=False)
             for n, row in enumerate(rows[::step][:news] if step else [])]
    (corpus / "news").mkdir()
    (corpus / "news" / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stamp.write_text(recipe)
    return corpus


def russian_only_mentions(index_dir: Path) -> dict[str, set[str]]:
    """Entity → the ids of the Russian-only statements that name it (from the index's column)."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(index_dir)
    out: dict[str, set[str]] = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        column = storage.read_column(reader, S.MENTIONS_COL)
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            if stored.get(S.LANG, "").split() == ["ru"]:
                for entity in S.unpack_strings(column[docnum]):
                    out.setdefault(entity, set()).add(stored[S.ID])
    return out


def english_query(entity: str) -> str:
    name = gazetteer.names(entity)["en"]
    return f'"{name}"' if " " in name else name


def densities(index: SearchIndex) -> dict[str, tuple[int, dict[str, int]]]:
    """Statement id → (its words, {entity: the times the gazetteer finds it}),
    both languages' sections counted."""
    from search.lang.analysis import WORD_RE
    from search.exec.texts import Texts

    def read(snap):
        g, texts, reader = gazetteer.gazetteer(), Texts(snap.searcher), snap.searcher.reader()
        out = {}
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            sections = texts.sections(stored, docnum)
            counts: dict[str, int] = {}
            for _, text in sections:
                for mention in g.find(text):
                    counts[mention.entity] = counts.get(mention.entity, 0) + 1
            out[stored[S.ID]] = (sum(len(WORD_RE.findall(t)) for _, t in sections), counts)
        return out

    return index._snapshots.retrying(read)


def dense(doc_id: str, found: tuple[int, dict[str, int]], entity: str) -> bool:
    """Whether a statement is about a country: its own UN speech (UN General
    Debate files are named by the country's alpha-3 code), or one that names it
    DENSE_PER_1000 times per 1,000 words or more (the gazetteer's mentions)."""
    words, counts = found
    own = DENSE_COUNTRIES.get(entity)
    if own and doc_id.startswith("ungdc/") and doc_id.rsplit("/", 1)[-1].startswith(own + "_"):
        return True
    return counts.get(entity, 0) * 1000 >= DENSE_PER_1000 * max(words, 1)


def dense_first(index: SearchIndex, countries=DENSE_COUNTRIES, filters: Filters | None = None) -> dict:
    """For each country searched by its English name: how many of the FIRST
    hits are about it (`dense`), in whatever language, and how many could be
    (`possible`: the statements about it in the index, up to FIRST)."""
    found = densities(index)
    rows = []
    for entity in countries:
        query = english_query(entity)
        hits = index.search(query, filters=filters, per_page=FIRST, facets=False, with_snippets=False).hits
        rows.append({"entity": entity, "query": query, "first": [h.id for h in hits],
                     "dense": sum(dense(h.id, found[h.id], entity) for h in hits),
                     "possible": min(FIRST, sum(dense(i, f, entity) for i, f in found.items()))})
    shown = sum(len(r["first"]) for r in rows)
    return {"countries": len(rows), "share_dense": sum(r["dense"] for r in rows) / shown if shown else None,
            "share_possible": sum(r["possible"] for r in rows) / shown if shown else None, "rows": rows}


def measure(index_dir: Path) -> dict:
    wanted = russian_only_mentions(index_dir)
    rows = []
    with SearchIndex(index_dir) as index:
        for entity in sorted(wanted):
            query = english_query(entity)
            row = {"entity": entity, "query": query, "russian_only": len(wanted[entity])}
            for mode, filters in (("across", Filters()), ("exact", Filters(exact_names=True))):
                started = time.perf_counter()
                result = index.search(query, filters=filters, per_page=TOP, facets=False,
                                      with_snippets=False)
                row[f"{mode}_ms"] = (time.perf_counter() - started) * 1000
                row[mode] = any(h.id in wanted[entity] for h in result.hits)
            rows.append(row)
    n = len(rows)
    return {
        "queries": n,
        "share_across": sum(r["across"] for r in rows) / n if n else None,
        "share_exact": sum(r["exact"] for r in rows) / n if n else None,
        "median_ms_across": statistics.median(r["across_ms"] for r in rows) if n else None,
        "median_ms_exact": statistics.median(r["exact_ms"] for r in rows) if n else None,
        "missed": [r["query"] for r in rows if not r["across"]],
        "rows": rows,
    }


@click.command(epilog="""Example:

\b
    python -m bench.cross_language
    python -m bench.cross_language --corpora shipped""")
@click.option("--corpora", default="shipped,shared", show_default=True,
              help="shipped (corpus/), shared (../shared/corpus-raw, when present), or both.")
@click.option("--news", type=click.IntRange(0), default=3000, show_default=True,
              help="News items sampled from ../shared's Channel One set.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_WORK / "cross_language",
              show_default=True, help="Where corpora, indexes and the JSON results go.")
def main(corpora, news, work):
    """Share of cross-language entity queries whose top 10 holds a Russian-only statement naming it."""
    results = {}
    for name in [c.strip() for c in corpora.split(",") if c.strip()]:
        if name == "shared" and not (SHARED_RAW / "ungdc").is_dir():
            click.echo(f"shared: skipped ({SHARED_RAW} is not here)")
            continue
        if name not in ("shipped", "shared"):
            raise click.BadParameter(f"{name!r}: use shipped or shared", param_hint="--corpora")
        corpus = SHIPPED_CORPUS if name == "shipped" else shared_corpus(work / name, news)
        index_dir = work / name / "index"
        started = time.perf_counter()
        update_index(corpus, index_dir)
        click.echo(f"{name}: indexed in {time.perf_counter() - started:.0f} s")
        found = results[name] = measure(index_dir)
        share, base = found["share_across"], found["share_exact"]
        click.echo(f"{name}: {found['queries']} entities named in Russian-only statements; "
                   f"top {TOP} holds one for {share:.0%} of their English names "
                   f"(names exact: {base:.0%}; goal {GOAL:.0%}); median "
                   f"{found['median_ms_across']:.1f} ms vs {found['median_ms_exact']:.1f} ms exact")
        if found["missed"]:
            click.echo(f"  missed: {', '.join(found['missed'][:40])}")
        with SearchIndex(index_dir) as index:
            first = found["dense_first"] = dense_first(index)
        click.echo(f"{name}: of the first {FIRST} hits for {first['countries']} countries typed in English, "
                   f"{first['share_dense']:.0%} are about the country (its own speech, or "
                   f"{DENSE_PER_1000:g}+ mentions per 1,000 words; at most {first['share_possible']:.0%} could be)")
    work.mkdir(parents=True, exist_ok=True)
    (work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(prog_name="python -m bench.cross_language")
