"""Names across languages, measured: for each country or organisation that
Russian-only statements name, search its English name and check whether the
top 10 holds a Russian-only statement naming it (the goal: 90% of them).

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
from search import gazetteer
from search import query_build
from search import schema as S
from search.engine import SearchIndex
from search.results import Filters

TOP = 10
GOAL = 0.90


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
        column = S.read_column(reader, S.MENTIONS_COL)
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            if stored.get(S.LANG, "").split() == ["ru"]:
                for entity in S.unpack_strings(column[docnum]):
                    out.setdefault(entity, set()).add(stored[S.ID])
    return out


def english_query(entity: str) -> str:
    name = gazetteer.names(entity)["en"]
    return f'"{name}"' if " " in name else name


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
@click.option("--boosts", default="", help="Also measure at these weights of the other language "
              "(comma-separated, e.g. 1,2), beside the default.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_WORK / "cross_language",
              show_default=True, help="Where corpora, indexes and the JSON results go.")
def main(corpora, news, boosts, work):
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
        default = query_build.OTHER_LANGUAGE_BOOST
        for boost in [float(b) for b in boosts.split(",") if b.strip()]:
            query_build.OTHER_LANGUAGE_BOOST = boost  # (read at each query's building)
            try:
                other = results[f"{name} at {boost:g}"] = measure(index_dir)
            finally:
                query_build.OTHER_LANGUAGE_BOOST = default
            click.echo(f"  at weight {boost:g} (default {default:g}): {other['share_across']:.0%}")
    work.mkdir(parents=True, exist_ok=True)
    (work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(prog_name="python -m bench.cross_language")
