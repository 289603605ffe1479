"""Ranking against public relevance judgments: nDCG@10, MRR@10 and R@100 beside Lucene BM25.

The collections are those of ../shared/benchmarks/ir (README.md there): each
is indexed with `python -m indexer`, every question is asked through the
web server's `GET /api/search` as a user would type it (a bag of words, no
autocorrection, every other default), and the run is scored here as
trec_eval scores it. The table goes into its own section of bench/RESULTS.md.

Example:

    python -m bench.ir
    python -m bench.ir --collections scifact --no-write
    python -m bench.ir --api-param names=exact     # names across languages off
"""

from __future__ import annotations

import http.client
import json
import math
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import click

from bench import BENCH_DIR, DEFAULT_WORK, ROOT
from bench.lucene import LuceneUnavailable, anserini_jar, lucene_run
from search.fields import MAX_PER_PAGE

IR_DIR = ROOT.parent / "shared" / "benchmarks" / "ir"
COLLECTIONS = ("xquad-r-ru", "xquad-r-en", "scifact")
HITS = MAX_PER_PAGE  # the API's largest page: R@100 is read from one request
# Lucene BM25 (Anserini 0.22.1, k1 0.9, b 0.4, Snowball analysers), from IR_DIR/README.md:
# the table's figures when Lucene cannot run here (bench.lucene), else what its run must match.
LUCENE = {
    "xquad-r-ru": {"ndcg10": 0.8396, "mrr10": 0.8121, "r100": 0.9711},
    "xquad-r-en": {"ndcg10": 0.8550, "mrr10": 0.8219, "r100": 0.9813},
    "scifact": {"ndcg10": 0.6677, "mrr10": 0.6335, "r100": 0.9187},
}
METRICS = (("ndcg10", "nDCG@10"), ("mrr10", "MRR@10"), ("r100", "R@100"))
SECTION = "## Ranking on public judgments (`python -m bench.ir`)"
COMMAND = "\nCommand: `"  # the line that ends the generated part of the section
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_OPERATORS = {"AND", "OR", "NOT", "TO"}


# --- metrics: small pure functions, as trec_eval computes them -------------------------


def dcg(gains: list[float]) -> float:
    """Discounted cumulative gain of gains in rank order (gain / log2(rank + 1))."""
    return sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    """nDCG@k with graded relevance (trec_eval's ndcg_cut: linear gains); 0 without relevant documents."""
    ideal = dcg(sorted((r for r in judged.values() if r > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([max(judged.get(d, 0), 0) for d in ranked[:k]]) / ideal


def rr_at(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant document within the first k; 0 if none."""
    for rank, doc in enumerate(ranked[:k], 1):
        if judged.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: list[str], judged: dict[str, int], k: int = HITS) -> float:
    """Share of the relevant documents found within the first k."""
    relevant = {d for d, r in judged.items() if r > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean metrics over every judged question (one without an answer scores 0, as trec_eval -c)."""
    questions = [q for q, judged in qrels.items() if any(r > 0 for r in judged.values())]
    if not questions:
        return {name: 0.0 for name, _ in METRICS}
    sums = {"ndcg10": 0.0, "mrr10": 0.0, "r100": 0.0}
    for q in questions:
        ranked = run.get(q, [])
        sums["ndcg10"] += ndcg_at(ranked, qrels[q], 10)
        sums["mrr10"] += rr_at(ranked, qrels[q], 10)
        sums["r100"] += recall_at(ranked, qrels[q], HITS)
    return {name: value / len(questions) for name, value in sums.items()}


# --- the collection's files ---------------------------------------------------------------


def read_topics(path: Path) -> dict[str, str]:
    """question id → question, from a topics.tsv."""
    topics = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            qid, text = line.split("\t", 1)
            topics[qid.strip()] = text.strip()
    return topics


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """question id → {document id: relevance}, from TREC qrels."""
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4:
            qrels.setdefault(parts[0], {})[parts[2]] = int(parts[3])
    return qrels


def bag_of_words(question: str) -> str:
    """The question's words joined by OR, with nothing our query syntax would read as an operator."""
    words = [w.lower() if w in _OPERATORS else w for w in _WORD.findall(question)]
    return " OR ".join(words)


def judged_id(hit_id: str) -> str:
    """`FILE.jsonl#ID` → ID, the id the judgments use."""
    return hit_id.rsplit("#", 1)[-1]


# --- indexing and asking ------------------------------------------------------------------


def build_index(corpus: Path, index: Path, log) -> float:
    """A fresh index of `corpus` by `python -m indexer`; returns the seconds it took."""
    if index.exists():
        shutil.rmtree(index)
    index.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "indexer", "--corpus", str(corpus), "--index", str(index), "-q"],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"indexing {corpus} failed: {done.stderr.strip() or done.stdout.strip()}")
    log(done.stdout.strip())
    return time.perf_counter() - start


def ask_all(port: int, topics: dict[str, str], extra: dict[str, str]) -> tuple[dict[str, list[str]], int]:
    """Every question through GET /api/search; the judged ids found, and how many requests failed."""
    run, failed = {}, 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for qid, question in topics.items():
            params = {"q": bag_of_words(question), "per_page": HITS, "autocorrect": "0", **extra}
            conn.request("GET", "/api/search?" + urlencode(params))
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                failed += 1
                run[qid] = []
                continue
            run[qid] = [judged_id(h["id"]) for h in json.loads(body)["hits"]]
    finally:
        conn.close()
    return run, failed


def measure_lucene(name: str, jar: Path, work: Path) -> dict:
    """Lucene BM25 run here on the collection (bench.lucene), scored as ours is."""
    source = IR_DIR / name
    qrels = read_qrels(source / "qrels.txt")
    run = lucene_run(jar, source, work / name / "lucene", HITS)
    return evaluate({q: run.get(q, []) for q in qrels}, qrels)


def measure(name: str, work: Path, reuse: bool, extra: dict[str, str], log) -> dict:
    """Indexes one collection, asks its questions through the server and scores the run."""
    from bench.server import running_server

    source = IR_DIR / name
    index = work / name / "index"
    if not (reuse and index.exists()):
        build_index(source / "corpus", index, log)
    topics = read_topics(source / "topics.tsv")
    qrels = read_qrels(source / "qrels.txt")
    topics = {q: t for q, t in topics.items() if q in qrels}
    with running_server(index, start_timeout=120, workers=1) as (port, _proc):
        start = time.perf_counter()
        run, failed = ask_all(port, topics, extra)
        seconds = time.perf_counter() - start
    (work / name / "run.json").write_text(json.dumps(run), encoding="utf-8")
    scores = evaluate(run, {q: qrels[q] for q in topics})
    return {"name": name, "questions": len(topics), "failed": failed, "seconds": seconds, **scores}


# --- the report ---------------------------------------------------------------------------


def markdown(results: list[dict], command: str) -> str:
    """The section of RESULTS.md: ours beside Lucene BM25, per collection."""
    ran = all("lucene" in r for r in results)
    lines = [SECTION, "",
             "Questions of public collections (../shared/benchmarks/ir; the development halves of "
             "XQuAD-R) asked through `GET /api/search` as typed, their words joined by OR, with "
             f"{HITS} hits and `autocorrect=0` (every other parameter as a user gets it), scored as "
             "trec_eval scores them. Lucene: BM25 of Anserini 0.22.1 (k1 0.9, b 0.4, Snowball "
             "analysers) on the same files, " + (
                 "run here (bench/lucene.py: the jar of the pyserini 0.22.1 wheel on this machine's Java) "
                 "and scored by the same code as ours; that folder's README gives the same figures."
                 if ran else "from that folder's README (Lucene could not run here)."), "",
             "| collection | questions | " + " | ".join(f"{label} ours | Lucene" for _, label in METRICS) + " |",
             "|---|---:|" + "---:|---:|" * len(METRICS)]
    for r in results:
        lucene = r.get("lucene") or LUCENE.get(r["name"], {})
        cells = []
        for key, _ in METRICS:
            theirs = lucene.get(key)
            cells.append(f"{r[key]:.4f}")
            cells.append(f"{theirs:.4f}" if theirs is not None else "–")
        lines.append(f"| {r['name']} | {r['questions']} | " + " | ".join(cells) + " |")
    lines += ["", f"{COMMAND.strip()}{command}`.", ""]
    return "\n".join(lines)


def write_section(results_md: Path, section: str) -> None:
    """Puts the section into RESULTS.md in place of its previous version (or at the end),
    nothing else changed; the paragraphs written after its command line (what changed,
    before and after) are kept."""
    text = results_md.read_text(encoding="utf-8") if results_md.exists() else "# Benchmark results\n"
    start = text.find(SECTION)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        notes = _notes(text[start:end] if end >= 0 else text[start:])
        section = section + ("\n" + notes + "\n" if notes else "")
        text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "")
    results_md.write_text(text, encoding="utf-8")


def _notes(old_section: str) -> str:
    """What a section holds after its "Command: …" line, written by hand."""
    at = old_section.find(COMMAND)
    if at < 0:
        return ""
    line_end = old_section.find("\n", at + 1)
    return old_section[line_end:].strip("\n") if line_end >= 0 else ""


@click.command(epilog="Indexes go to bench/work/ir/ (never committed); the table to bench/RESULTS.md.")
@click.option("--collections", default=",".join(COLLECTIONS), show_default=True, metavar="LIST",
              help="Comma-separated collections of ../shared/benchmarks/ir.")
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK / "ir", show_default=True,
              help="Where the indexes and runs go.")
@click.option("--reuse", is_flag=True, help="Search an index a previous run built (no indexing).")
@click.option("--api-param", "api_params", multiple=True, metavar="NAME=VALUE",
              help="Another API parameter for every question (e.g. names=exact); the table is then not written.")
@click.option("--lucene/--no-lucene", default=True, show_default=True,
              help="Also run Lucene BM25 itself on each collection (Java and the pyserini 0.22.1 wheel; "
                   "without them, the figures of the collections' README).")
@click.option("--no-write", is_flag=True, help="Print the figures only; leave RESULTS.md alone.")
def main(collections, work, reuse, api_params, lucene, no_write):
    """Ranking quality of the public search path beside Lucene BM25."""
    names = [n.strip() for n in collections.split(",") if n.strip()]
    for name in names:
        if not (IR_DIR / name / "qrels.txt").exists():
            raise click.BadParameter(f"no collection {name!r} in {IR_DIR}", param_hint="--collections")
    extra = dict(p.split("=", 1) for p in api_params if "=" in p)
    log = lambda line: click.echo(line, err=True)  # noqa: E731
    jar = _lucene_jar(work, log) if lucene else None
    results = []
    for name in names:
        r = measure(name, work, reuse, extra, log)
        if jar is not None:
            try:
                r["lucene"] = measure_lucene(name, jar, work)
            except LuceneUnavailable as err:
                raise click.ClickException(f"{name}: Lucene's run failed: {err}") from err
        results.append(r)
        theirs = r.get("lucene") or LUCENE.get(name, {})
        click.echo(f"{name:12} " + "  ".join(
            f"{label} {r[key]:.4f} (Lucene {theirs.get(key, float('nan')):.4f})" for key, label in METRICS)
            + f"  [{r['questions']} questions, {r['failed']} failed, {r['seconds']:.0f} s"
            + (", Lucene run here" if "lucene" in r else ", Lucene from the README") + "]")
    if no_write or extra:
        return
    command = "python -m bench.ir" + (f" --collections {collections}" if names != list(COLLECTIONS) else "")
    write_section(BENCH_DIR / "RESULTS.md", markdown(results, command))
    click.echo(f"wrote {BENCH_DIR / 'RESULTS.md'}")


def _lucene_jar(work: Path, log) -> Path | None:
    """The Anserini jar, or None (said why) when Lucene cannot run here."""
    try:
        return anserini_jar(work / "lucene", log)
    except LuceneUnavailable as err:
        log(f"Lucene not run here: {err}; its figures come from {IR_DIR / 'README.md'}")
        return None


if __name__ == "__main__":
    main(prog_name="python -m bench.ir")
