"""The research views' speed on the 38,227-item news set: concordance pages of
1,000 lines, key terms and collocations, over a query mix, through the library.

The news index is built under the work directory (or reused: the indexer
only adds what changed). Each concordance page is measured first with
nothing kept from earlier requests (a first page), then with the statements'
texts kept as a running server keeps them, then the next page of the same
request, which reuses its sorted lines. Key
terms and collocations are measured on a first pass (this process has never
met the words read: it learns their terms from the index) and on later passes.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from bench import DEFAULT_WORK
from bench import corpora
from bench.measure import percentile

QUERIES = (
    "россия", "выборы", "путин", "санкции", '"так называемые"', "НАТО", "переговоры",
    "украина", '"министерство иностранных дел"', "саммит", "президент OR премьер",
    "погод*", "ООН -сша",
)
SORTS = ("-date", "left", "right")
PAGE = 1000


def news_index(work: Path, log=click.echo) -> Path:
    """The news corpus's index under `work`, built or brought up to date."""
    from indexer.build import update_index

    corpus = corpora.prepare("news", work, log=log)
    where = work / "research" / "news-index"
    where.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary = update_index(corpus.path, where)
    log(f"[index] {where}: {summary.added:,} added, {summary.unchanged:,} unchanged "
        f"({time.perf_counter() - started:.0f} s)")
    return where


def passes(name: str, run, repeat: int, log=click.echo) -> dict:
    """A view's times over the query mix: a first pass, then `repeat` more."""
    rounds, cpu_times = [], []
    for n in range(repeat + 1):
        times = []
        for q in QUERIES:
            started, cpu = time.perf_counter(), time.process_time()
            said = run(q)
            times.append((time.perf_counter() - started) * 1000)
            if n:
                cpu_times.append((time.process_time() - cpu) * 1000)
            if n == 0:
                log(f"[{name}] {q:<32} {times[-1]:7.1f} ms  {said}")
        rounds.append(times)
    later = [t for times in rounds[1:] for t in times]
    return {
        "first_pass_p50_ms": round(percentile(rounds[0], 50), 1),
        "first_pass_p95_ms": round(percentile(rounds[0], 95), 1),
        "p50_ms": round(percentile(later, 50), 1) if later else None,
        "p95_ms": round(percentile(later, 95), 1) if later else None,
        "cpu_p95_ms": round(percentile(cpu_times, 95), 1) if cpu_times else None,
    }


def _keyterms(index, q: str) -> str:
    result = index.keyterms(q)
    return f"{result.sampled:,} of {result.matched:,} statements"


def collocations(index, q: str) -> str:
    result = index.collocations(q)
    return (f"{result.read:,} of {result.statements:,} statements, "
            f"{sum(x.nodes for x in result.languages):,} matches")


def measure(where: Path, repeat: int, log=click.echo, only: str = "all") -> dict:
    from search.views import concordance
    from search.views.concordance import ConcordanceRequest
    from search.engine import SearchIndex

    out: dict = {"queries": list(QUERIES), "page": PAGE, "repeat": repeat}
    with SearchIndex(where) as index:
        out["statements"] = index.doc_count
        out["collocations"] = passes("collocations", lambda q: collocations(index, q), repeat, log)
        if only == "collocations":
            out["load_average"] = os.getloadavg()
            return out
        index.concordance(ConcordanceRequest("выборы", per_page=10))  # open the snapshot once

        def forget(plans_only=False):
            index._snapshots.retrying(lambda snap: concordance.kept(snap).clear(plans_only))
        first, warm, following, lines, first_cpu, warm_cpu = [], [], [], [], [], []
        for _ in range(repeat):
            for sort in SORTS:
                for q in QUERIES:
                    request = ConcordanceRequest(q, sort=sort, per_page=PAGE)
                    forget()  # a first page: no plan nor text kept from before
                    started, cpu = time.perf_counter(), time.process_time()
                    result = index.concordance(request)
                    first.append((time.perf_counter() - started) * 1000)
                    first_cpu.append((time.process_time() - cpu) * 1000)
                    forget(plans_only=True)  # the texts read are kept, as a server keeps them
                    started, cpu = time.perf_counter(), time.process_time()
                    index.concordance(request)
                    warm.append((time.perf_counter() - started) * 1000)
                    warm_cpu.append((time.process_time() - cpu) * 1000)
                    lines.append(len(result.lines))
                    if result.pages > 1:
                        started = time.perf_counter()
                        index.concordance(ConcordanceRequest(q, sort=sort, page=2, per_page=PAGE))
                        following.append((time.perf_counter() - started) * 1000)
                    log(f"[concordance] {sort:>5} {q:<32} {first[-1]:7.1f} ms, texts kept "
                        f"{warm[-1]:7.1f} ms  {result.total:>6,} lines, {result.statements:>5,} statements")
        out["concordance"] = {
            "first_page_p50_ms": round(percentile(first, 50), 1),
            "first_page_p95_ms": round(percentile(first, 95), 1),
            "first_page_max_ms": round(max(first), 1),
            "texts_kept_p50_ms": round(percentile(warm, 50), 1),
            "texts_kept_p95_ms": round(percentile(warm, 95), 1),
            # CPU time of this process: what the machine's other load does not add to.
            "first_page_cpu_p95_ms": round(percentile(first_cpu, 95), 1),
            "texts_kept_cpu_p95_ms": round(percentile(warm_cpu, 95), 1),
            "next_page_p95_ms": round(percentile(following, 95), 1) if following else None,
            "pages_measured": len(first), "full_pages": sum(n == PAGE for n in lines),
        }
        out["keyterms"] = passes("keyterms", lambda q: _keyterms(index, q), repeat, log)
        out["load_average"] = os.getloadavg()
    return out


@click.command()
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK, show_default=True,
              help="Where the corpus, the index and the results go.")
@click.option("--repeat", type=click.IntRange(1, 20), default=2, show_default=True,
              help="Times the query mix is run.")
@click.option("--only", type=click.Choice(["all", "collocations"]), default="all", show_default=True,
              help="Measure every view, or collocations alone.")
def main(work, repeat, only):
    """Concordance and key-terms speed on the news set.

    Example: python -m bench.research --repeat 3
    """
    try:
        where = news_index(work)
    except corpora.Unavailable as err:
        raise click.ClickException(str(err))
    results = measure(where, repeat, only=only)
    path = work / "research" / ("results.json" if only == "all" else f"results-{only}.json")
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    co = results["collocations"]
    click.echo(f"collocations: p50 {co['p50_ms']} ms, p95 {co['p95_ms']} ms, CPU p95 {co['cpu_p95_ms']} ms "
               f"(first pass p50 {co['first_pass_p50_ms']} ms, p95 {co['first_pass_p95_ms']} ms)")
    if only == "collocations":
        click.echo(f"written to {path}")
        return
    c, k = results["concordance"], results["keyterms"]
    click.echo(f"\n{results['statements']:,} statements; {len(QUERIES)} queries x {len(SORTS)} sorts "
               f"x {repeat}, pages of {PAGE:,} lines")
    click.echo(f"concordance, first page: p50 {c['first_page_p50_ms']} ms, p95 {c['first_page_p95_ms']} ms, "
               f"max {c['first_page_max_ms']} ms; with the texts kept p50 {c['texts_kept_p50_ms']} ms, "
               f"p95 {c['texts_kept_p95_ms']} ms; next page p95 {c['next_page_p95_ms']} ms")
    click.echo(f"  CPU time p95: first page {c['first_page_cpu_p95_ms']} ms, "
               f"texts kept {c['texts_kept_cpu_p95_ms']} ms")
    click.echo(f"key terms: p50 {k['p50_ms']} ms, p95 {k['p95_ms']} ms, CPU p95 {k['cpu_p95_ms']} ms "
               f"(first pass p50 {k['first_pass_p50_ms']} ms, p95 {k['first_pass_p95_ms']} ms)")
    click.echo("machine load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in results["load_average"]))
    click.echo(f"written to {path}")


if __name__ == "__main__":
    main(prog_name="python -m bench.research")
