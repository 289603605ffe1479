"""Indexing on Dask: workers read, extract and analyse the corpus; this process
writes the analysed corpus (a Parquet dataset, search/analysed.py) and the
index from it, without analysing again.

The run is the one-process run (indexer/build.py) with the reading moved:
groups go to the workers in batches, their rows come back and are written in
the groups' order, so the index and the dataset are the same whichever worker
read what, or if a worker dies (Dask runs its batch again elsewhere). A group
that cannot be read is reported as the one-process run reports it. Without a
cluster (`workers=0`) the same run reads in this process.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysed import fields_of, row_of
from indexer.build import _Run, indexed_groups, read_problem, update_index
from indexer.scan import scan
from indexer.summary import Problem, Summary
from search import schema as S
from search.analysed import DatasetWriter, dataset_files, optional
from search.errors import IndexingError

BATCH = 8  # groups per task: few enough to spread, enough to keep Dask's overhead per task small
ANALYSED_SUFFIX = "-analysed"


def default_analysed(index_dir: Path) -> Path:
    """Where the analysed corpus of an index goes unless told: beside it."""
    index_dir = Path(index_dir)
    return index_dir.with_name(index_dir.name + ANALYSED_SUFFIX)


@dataclass
class GroupRead:
    """What a worker made of one group: its rows (None when the index has it and
    no rows were asked for), and what the one-process run would have reported."""

    key: str
    changed: bool = False
    rows: list[dict] | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unchanged: int = 0


class _Reader:
    """The one-process run's reading of a group (`_Run._read_group`), on a worker."""

    _read_group = _Run._read_group

    def __init__(self, max_statement_size: int, declared):
        self.max_statement_size = max_statement_size
        self.declared = declared
        self.summary = Summary()


def read_batch(batch, max_statement_size: int, declared) -> list[GroupRead]:
    """Reads, extracts and analyses a batch of (group, previous, rows wanted); runs on a worker."""
    schema = S.build_schema()
    return [_read_one(group, previous, want_rows, max_statement_size, declared, schema)
            for group, previous, want_rows in batch]


def _read_one(group, previous, want_rows, max_statement_size, declared, schema) -> GroupRead:
    reader = _Reader(max_statement_size, declared)
    try:
        documents = reader._read_group(group, previous)
        changed = documents is not None
        if not changed and want_rows:  # in the index, not yet in the dataset
            documents = _Reader(max_statement_size, declared)._read_group(group, None)
    except Exception as err:  # (reported as the one-process run reports it)
        return GroupRead(group.key, problems=[read_problem(group.key, err)])
    rows = None if documents is None else [row_of(fields, schema) for fields in documents]
    done = reader.summary
    return GroupRead(group.key, changed, rows, done.problems, done.warnings, done.unchanged)


class ClusterRun(_Run):
    """An indexing run whose groups are read on a Dask cluster (or here, without one)."""

    client = None  # a dask.distributed Client, or None to read in this process
    analysed: Path = None
    batch = BATCH
    out = None  # the dataset being written

    def sync(self, corpus: Path, max_file_size: int, progress) -> Summary:
        summary = self.summary
        found = scan(corpus, max_file_size)
        summary.problems.extend(found.problems)
        summary.skipped.extend(found.skipped)
        indexed = {} if self.rebuild else indexed_groups(self.ix)
        old = _OldRows(None if self.rebuild else self.analysed)
        keys = sorted(found.groups)
        work = [(found.groups[k], indexed.get(k), old.hashes.get(k) != (indexed.get(k) or ("",))[0])
                for k in keys]
        out = self.out = _DatasetWriter(self.analysed)
        blocked = sorted(found.blocked - set(keys))  # (kept in the index: kept in the dataset)
        done = 0
        for reads in self._batches(work):
            for read in reads:
                while blocked and blocked[0] < read.key:
                    out.add(old.take(blocked.pop(0)))
                group, previous = found.groups[read.key], indexed.get(read.key)
                summary.problems.extend(read.problems)
                summary.warnings.extend(read.warnings)
                summary.unchanged += read.unchanged
                kept = old.take(read.key)
                if read.changed:
                    self._write_group(group, previous, [fields_of(row) for row in read.rows])
                out.add(read.rows if read.rows is not None else kept)
                done += 1
                if progress:
                    progress(done, len(keys))
        for key in sorted(set(indexed) - set(found.groups) - found.blocked):
            self._writer().delete_by_term(S.GROUP, key)
            summary.removed += len(indexed[key][1])
        for key in blocked:
            out.add(old.take(key))
        self._commit(final=True)
        out.close()
        self.out = None
        return summary

    def close(self) -> None:
        """Abandons uncommitted work and the half-written dataset (after an error or an interrupt)."""
        super().close()
        if self.out is not None:
            shutil.rmtree(self.out.folder, ignore_errors=True)

    def _batches(self, work):
        """Each batch's reads, in the corpus's order, read by the workers (or here)."""
        batches = [work[i:i + self.batch] for i in range(0, len(work), self.batch)]
        args = (self.max_statement_size, self.declared)
        if self.client is None:
            for batch in batches:
                yield read_batch(batch, *args)
            return
        futures = self.client.map(read_batch, batches, *([a] * len(batches) for a in args), pure=False)
        for future in futures:
            yield future.result()
            future.release()


class _OldRows:
    """The rows of the dataset written before, group by group in the corpus's order."""

    def __init__(self, folder: Path | None):
        self.files = dataset_files(folder) if folder and folder.is_dir() else []
        pq = optional("pyarrow.parquet") if self.files else None
        self.hashes = {}
        for path in self.files:
            part = pq.read_table(path, columns=["group", "hash"]).to_pydict()
            self.hashes.update(zip(part["group"], part["hash"]))
        self.rows = self._rows()
        self.next = next(self.rows, None)

    def _rows(self):
        pq = optional("pyarrow.parquet") if self.files else None
        for path in self.files:  # (a few rows at a time: a long statement's tokens are many objects)
            for batch in pq.ParquetFile(path).iter_batches(batch_size=64):
                yield from batch.to_pylist()

    def take(self, key: str) -> list[dict]:
        """The old rows of group `key`; keys are asked for in increasing order."""
        taken = []
        while self.next is not None and self.next["group"] <= key:
            if self.next["group"] == key:
                taken.append(self.next)
            self.next = next(self.rows, None)
        return taken


class _DatasetWriter(DatasetWriter):
    """Writes a new dataset beside the old one, which it replaces when closed."""

    def __init__(self, folder: Path):
        self.final = folder
        new = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(new, ignore_errors=True)
        super().__init__(new)

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.final, ignore_errors=True)
        self.folder.rename(self.final)


def connect(workers: int | None = None, scheduler: str | None = None):
    """A Dask client: of a running cluster (`scheduler`, tcp://HOST:8786) or of a
    local cluster of `workers` processes. Close it (and its cluster) when done."""
    distributed = optional("dask.distributed")
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout="30s")
        except OSError as err:
            raise IndexingError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    client.close_cluster = cluster.close
    return client


def update_on_cluster(corpus: Path, index_dir: Path, *, client=None, analysed: Path | None = None,
                      batch: int = BATCH, **options) -> Summary:
    """`update_index` with the groups read by `client`'s workers (None: in this
    process), `batch` groups a task, writing the analysed corpus to `analysed`
    (default: beside the index)."""
    if options.get("procs", 1) > 1:
        raise IndexingError("--procs writes with several processes on this machine; on a cluster "
                            "the workers analyse and one process writes: leave --procs out")
    optional("pyarrow")
    folder = Path(analysed) if analysed else default_analysed(Path(index_dir))

    def make_run(*args):
        run = ClusterRun(*args)
        run.client, run.analysed, run.batch = client, folder, batch
        return run

    return update_index(corpus, index_dir, make_run=make_run, **options)
