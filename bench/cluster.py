"""Indexing on Dask beside the one-process build, side by side in one run:
`python -m bench.cluster shipped ungdc` (results in bench/RESULTS.md by hand).

For each corpus: the normal build (one process), then a local Dask cluster of
2 worker processes reading and analysing it (`python -m indexer --workers 2`:
the cluster's start, the build, the analysed corpus's size), and whether the
two indexes hold the same postings, stored fields and columns.
"""

from __future__ import annotations

import hashlib
import json
import resource
import shutil
import time
from pathlib import Path

import click

from bench import DEFAULT_WORK
from bench.corpora import check_size_name, prepare
from indexer.build import update_index
from indexer.cluster import connect, default_analysed, update_on_cluster
from search import schema as S
from search.exec import storage

SECTION = "## Indexing on Dask"  # its section of bench/RESULTS.md (bench/report.py keeps it)


def fingerprint(index_dir: Path) -> str:
    """A hash of everything the index holds: postings, stored fields, lengths, columns."""
    digest = hashlib.sha256()
    ix = storage.open_indexes(str(index_dir))[0]
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            digest.update(repr((fieldname, term)).encode())
            while matcher.is_active():
                digest.update(repr((matcher.id(), matcher.value())).encode())
                matcher.next()
        for stored in reader.all_stored_fields():
            digest.update(repr(sorted(stored.items())).encode())
        for name in S.STATEMENT_COLUMNS:
            digest.update(repr(storage.read_column(reader, name)).encode())
        for name in S.TEXT_FIELDS:
            digest.update(repr([reader.doc_field_length(d, name) for d in reader.all_doc_ids()]).encode())
    ix.close()
    return digest.hexdigest()


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(name: str, work: Path) -> dict:
    corpus = prepare(check_size_name(name), work)
    out = work / "cluster" / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cpu, started = _cpu(), time.perf_counter()
    plain = update_index(corpus.path, out / "plain")
    plain_s, plain_cpu = time.perf_counter() - started, _cpu() - cpu

    started = time.perf_counter()
    client = connect(workers=2)
    start_s = time.perf_counter() - started
    try:
        cpu, started = _cpu(), time.perf_counter()
        dask = update_on_cluster(corpus.path, out / "dask", client=client)
        dask_s, dask_cpu = time.perf_counter() - started, _cpu() - cpu
        workers_cpu = sum(client.run(_cpu).values())
    finally:
        client.close()
        client.close_cluster()
    return {
        "corpus": name, "statements": plain.documents, "files_failed": plain.failed,
        "plain_s": round(plain_s, 1), "plain_cpu_s": round(plain_cpu, 1),
        "cluster_start_s": round(start_s, 1), "dask_s": round(dask_s, 1),
        "dask_client_cpu_s": round(dask_cpu, 1), "dask_workers_cpu_s": round(workers_cpu, 1),
        "ratio": round(dask_s / plain_s, 2),
        "index_mb": round(_size(out / "plain") / 1e6, 1),
        "analysed_mb": round(_size(default_analysed(out / "dask")) / 1e6, 1),
        "same_index": fingerprint(out / "plain") == fingerprint(out / "dask"),
        "same_report": plain.as_dict()["problems"] == dask.as_dict()["problems"],
    }


@click.command()
@click.argument("sizes", nargs=-1)
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK,
              help="Where corpora and indexes are built.")
def main(sizes, work):
    """Measure the normal build and the build on 2 Dask workers of each corpus SIZE."""
    for name in sizes or ("shipped", "ungdc"):
        click.echo(json.dumps(measure(name, work)))


if __name__ == "__main__":
    main()
