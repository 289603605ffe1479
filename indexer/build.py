"""Incremental indexing: compare the corpus with the index, write the difference.

Each statement remembers the group of files it came from and their content
hash. A run checks the index is whole, hashes every group, adds new ones,
replaces changed ones (delete and add in one commit), removes those whose
files are gone, and leaves the rest alone; when nothing changed it opens no
writer at all. A group that cannot be read keeps whatever was indexed from it
before.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR

from indexer.checked import CHECKED_NAME, check_whole, remember
from indexer.declared import SETTINGS_FILE, check_against_index, read_settings
from indexer.fields import statement_fields
from indexer.lock import LOCK_NAME, indexer_lock
from indexer.read import DEFAULT_MAX_STATEMENT_SIZE, drafts, load
from indexer.reuse import write_passages
from indexer.scan import DEFAULT_MAX_FILE_SIZE, scan
from indexer.summary import Problem, Summary
from indexer.vocabulary import VocabularyWriter
from indexer.writers import cancel, open_writer
from search import declared as D
from search import schema as S
from search.exec import segment_files, storage
from search.lang.analysis import word_forms
from search.errors import IndexingError, IndexUnusable, ReadError
from search.exec.integrity import damaged

# An incremental run commits what it has written every COMMIT_EVERY statements,
# and no sooner than COMMIT_SECONDS after its last commit (unless given a count
# of its own): an interrupted run keeps its progress, and a long first build does
# not spend itself on commits, each of which merges segments and restarts the
# writing processes (200,000 short statements, 2 processes: 40 commits in 874 s
# with the count alone, 4 in 404 s).
COMMIT_EVERY = 5000
COMMIT_SECONDS = 60.0
# A group that was indexed with problems (say, a broken JSON line) stores this
# prefix on its hash, so every run reads it again and reports the problem.
PARTIAL = "partial-"


# --- the index ------------------------------------------------------------------------


def open_index(index_dir: Path, rebuild: bool = False):
    """Opens the statements index in `index_dir`, creating it if there is none.

    Returns (statements index, vocabulary index). An index written by an
    incompatible version, or a damaged one, is only replaced when `rebuild`
    is asked for; until then IndexingError (or IndexUnusable, for damage)
    says so and how to rebuild.
    """
    where = str(index_dir)
    if _has_toc(index_dir, S.STATEMENTS_INDEX):
        try:
            ix, vocabulary = storage.open_indexes(where)
        except IndexUnusable as err:  # another version, or no vocabulary
            if not rebuild:
                raise IndexingError(
                    f"cannot use the index in {index_dir}: {err}; "
                    "run `python -m indexer --rebuild` to build it again"
                ) from None
        except Exception as err:  # its table of contents cannot be read: damaged
            if not rebuild:
                raise damaged(index_dir, f"it cannot be opened: {type(err).__name__}: {err}") from None
        else:
            return _checked(ix, vocabulary, index_dir, rebuild)
    elif any(not _left_by_a_first_run(p.name) for p in index_dir.iterdir()):
        raise IndexingError(
            f"{index_dir} is not empty and holds no index; choose an empty or new directory"
        )
    return whoosh_index.create_in(where, S.build_schema()), _new_vocabulary(where)


def _checked(ix, vocabulary, index_dir: Path, rebuild: bool):
    """The opened indexes once checked whole. A rebuild replaces a damaged
    vocabulary, and writes the statements anew over a damaged statements
    index (never reading it), so its old commit stays until the new one."""
    try:
        check_whole(ix, index_dir)
    except IndexUnusable:
        if not rebuild:
            raise
    try:
        check_whole(vocabulary, index_dir)
    except IndexUnusable:
        if not rebuild:
            raise
        vocabulary = _new_vocabulary(str(index_dir))
    return ix, vocabulary


def _new_vocabulary(where: str):
    return whoosh_index.create_in(where, S.build_vocabulary_schema(), indexname=S.VOCABULARY_INDEX)


def _has_toc(index_dir: Path, indexname: str) -> bool:
    """True when a table of contents of the index is in the directory, readable or not."""
    prefix = f"_{indexname}_"
    return any(p.name.startswith(prefix) and p.name.endswith(".toc") for p in index_dir.iterdir())


def _left_by_a_first_run(name: str) -> bool:
    """The lock, and the files of a vocabulary or statements index that a first
    run stopped before creating both indexes leaves: safe to create over."""
    if name == LOCK_NAME or name.startswith(CHECKED_NAME) or name == D.DECLARED_FILE:
        return True
    return any(name.startswith(prefix) for index in (S.VOCABULARY_INDEX, S.STATEMENTS_INDEX)
               for prefix in (f"_{index}_", f"{index}_", f"{index}.tmp"))


def indexed_groups(ix) -> dict[str, tuple[str, set[str]]]:
    """For each indexed group: its stored hash and the ids of its statements."""
    groups: dict[str, tuple[str, set[str]]] = {}
    with ix.reader() as reader:
        if not reader.doc_count():
            return groups
        ids = storage.read_column(reader, S.ID)
        keys = storage.read_column(reader, S.GROUP)
        hashes = storage.read_column(reader, S.HASH)
        for docnum in reader.all_doc_ids():
            entry = groups.setdefault(keys[docnum], (hashes[docnum], set()))
            entry[1].add(ids[docnum])
    return groups


# --- the run ----------------------------------------------------------------------------


ProgressFn = Callable[[int, int], None]


def update_index(
    corpus: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    procs: int = 1,
    wait: float = 0.0,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    max_statement_size: int = DEFAULT_MAX_STATEMENT_SIZE,
    commit_every: int | None = None,
    progress: ProgressFn | None = None,
    make_run=None,
) -> Summary:
    """Brings the index in `index_dir` up to date with `corpus`.

    `make_run` makes the run in place of `_Run` (indexer/cluster.py: on Dask).
    Raises IndexingError (or IndexLocked) when nothing could be done.
    """
    started = time.monotonic()
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.is_dir():
        raise IndexingError(f"corpus directory {corpus} does not exist")
    if procs < 1:
        raise IndexingError("--procs must be at least 1")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndexingError(f"cannot create the index directory {index_dir}: {err.strerror}")

    facets, credits = read_settings(corpus)
    with indexer_lock(index_dir, wait):
        run = None
        try:
            ix, vocabulary_ix = open_index(index_dir, rebuild)
            # (a rebuild reads nothing of the old index: it may be damaged)
            has_statements = not rebuild and ix.doc_count_all() > 0
            relabelled = check_against_index(index_dir, has_statements, facets, rebuild)
            if not has_statements and not rebuild:
                # Written before the first commit, so a first build stopped after
                # it is finished by the next plain run (a rebuild writes them
                # after its clearing commit: until then the old index stands).
                D.write(index_dir, facets, credits)
            run = (make_run or _Run)(ix, VocabularyWriter(vocabulary_ix, rebuild), procs, rebuild,
                                     commit_every, max_statement_size, facets, credits)
            summary = run.sync(corpus, max_file_size, progress)
            if summary.commits or relabelled or D.read(index_dir) is None or \
                    D.read_credits(index_dir) != credits:
                D.write(index_dir, facets, credits)
            if relabelled:
                summary.warnings.append(Problem(SETTINGS_FILE, "the facets' labels or order changed: "
                                                "written down, no rebuild needed"))
            segment_files.write_missing(ix)  # (an index older than these files gets them on any run)
            if summary.commits:
                remember(ix, index_dir)
                remember(vocabulary_ix, index_dir)
            if (unwritten := write_passages(ix)) is not None:  # (the commit's shared passages, search.views.passages)
                summary.warnings.append(Problem(str(index_dir), unwritten))
        except (OSError, whoosh_index.LockError) as err:  # the corpus raises ReadError: this is the index
            raise _write_error(err, index_dir, run.summary.commits if run else 0) from err
        finally:
            if run:
                run.close()
        summary.documents = ix.doc_count()
        ix.close()
        vocabulary_ix.close()
    summary.seconds = time.monotonic() - started
    return summary


def read_problem(key: str, err: Exception) -> Problem:
    """How a group that cannot be read is reported: a ReadError's reason, or a reader's own fault."""
    if isinstance(err, ReadError):
        return Problem(key, str(err))
    return Problem(key, f"cannot be read: {type(err).__name__}: {err}")


def _write_error(err: Exception, index_dir: Path, commits: int) -> IndexingError:
    kept = (f"the {commits} commit{'s' if commits > 1 else ''} this run made before are kept"
            if commits else "nothing from this run was committed")
    if isinstance(err, whoosh_index.LockError):  # Whoosh could not create its lock file
        err = PermissionError(errno.EACCES, "cannot create files in it")
    if err.errno == errno.ENOSPC:
        return IndexingError(
            f"the disk is full: {kept}; the index holds its last commit. "
            "Free some space and run the indexer again."
        )
    return IndexingError(
        f"cannot write the index in {index_dir} ({err.strerror or err}): {kept}; "
        "the index holds its last commit"
    )


class _Run:
    """One indexing run: a lazily opened writer and the counts."""

    def __init__(self, ix, vocabulary: VocabularyWriter, procs: int, rebuild: bool, commit_every: int | None,
                 max_statement_size: int = DEFAULT_MAX_STATEMENT_SIZE, declared=(), credits=None):
        """`commit_every`: commit after exactly that many statements (None: after
        COMMIT_EVERY and COMMIT_SECONDS); a rebuild commits once, at the end."""
        self.ix = ix
        self.declared = declared  # the corpus's declared facets (search.declared.Declared)
        self.credits = credits  # and its credits line
        self.vocabulary = vocabulary
        self.procs = procs
        self.rebuild = rebuild
        self.commit_every = 0 if rebuild else (commit_every or COMMIT_EVERY)
        self.commit_seconds = 0.0 if commit_every else COMMIT_SECONDS
        self.last_commit = time.monotonic()
        self.max_statement_size = max_statement_size
        self.writer = None
        self.pending = 0
        self.cleared = False
        self.summary = Summary()

    def sync(self, corpus: Path, max_file_size: int, progress: ProgressFn | None) -> Summary:
        summary = self.summary
        found = scan(corpus, max_file_size)
        summary.problems.extend(found.problems)
        summary.skipped.extend(found.skipped)
        indexed = {} if self.rebuild else indexed_groups(self.ix)
        # A group with a file that exists but cannot be read keeps its old
        # statements; only groups whose files are all gone are removed.
        keys = sorted(found.groups)
        for done, key in enumerate(keys, 1):
            self._sync_group(found.groups[key], indexed.get(key))
            if progress:
                progress(done, len(keys))
        for key in sorted(set(indexed) - set(found.groups) - found.blocked):
            self._writer().delete_by_term(S.GROUP, key)
            summary.removed += len(indexed[key][1])
        self._commit(final=True)
        return summary

    def _sync_group(self, group, previous) -> None:
        summary = self.summary
        try:
            documents = self._read_group(group, previous)
        except Exception as err:  # (a reader's own fault too: one file lost, never the whole run)
            summary.problems.append(read_problem(group.key, err))
            return
        if documents is not None:  # (None: unchanged)
            self._write_group(group, previous, documents)

    def _write_group(self, group, previous, documents: list[dict]) -> None:
        """Writes a changed group's statements in place of its old ones."""
        summary = self.summary
        for fields in documents:
            self.vocabulary.add(word_forms(*(fields.get(f, "") for f in S.TEXT_FIELDS)))
        writer = self._writer()
        old_ids = previous[1] if previous else set()
        if previous:
            writer.delete_by_term(S.GROUP, group.key)
        new_ids = set()
        for fields in documents:
            writer.add_document(**fields)
            new_ids.add(fields[S.ID])
        summary.added += len(new_ids - old_ids)
        summary.updated += len(new_ids & old_ids)
        summary.removed += len(old_ids - new_ids)
        self.pending += len(documents)
        if self.commit_every and self.pending >= self.commit_every and \
                time.monotonic() - self.last_commit >= self.commit_seconds:
            self._commit()

    def _read_group(self, group, previous) -> list[dict] | None:
        """The index fields of a group's statements, or None when the index has them
        already; raises ReadError (or a reader's own error) for a file that cannot be read."""
        summary = self.summary
        loaded = load(group, self.max_statement_size)
        if previous and previous[0].removeprefix(PARTIAL) == loaded.hash:
            if previous[0].startswith(PARTIAL):  # its problems are reported again
                try:
                    summary.problems.extend(drafts(loaded, self.max_statement_size)[1])
                except ReadError as err:
                    summary.problems.append(Problem(group.key, str(err)))
            summary.unchanged += len(previous[1])
            return None
        found, problems = drafts(loaded, self.max_statement_size)
        group_hash = (PARTIAL + loaded.hash) if problems else loaded.hash
        documents, warnings = [], []
        for draft in found:
            fields, notes = statement_fields(draft, loaded, group_hash, self.declared)
            warnings.extend(notes)
            documents.append(fields)
        summary.problems.extend(problems)
        summary.warnings.extend(warnings)
        return documents

    def _writer(self):
        if self.writer is None:
            self.writer = open_writer(self.ix, self.procs)
        return self.writer

    def _commit(self, final: bool = False) -> None:
        if self.writer is None:
            if final and self.rebuild and not self.cleared:
                self._writer()  # a rebuild of an empty corpus still clears the index
            else:
                return
        writer, self.writer = self.writer, None
        clearing = self.rebuild and not self.cleared
        try:
            self.vocabulary.commit()
            if clearing:
                writer.commit(mergetype=CLEAR)
            else:
                writer.commit()
        except OSError:
            cancel(writer)
            raise  # update_index() says what happened
        self.summary.commits += 1
        self.pending = 0
        self.last_commit = time.monotonic()
        segment_files.write_missing(self.ix)  # (what a freshly opened index maps: new and merged segments')
        if clearing:  # (the rebuilt index's declarations, once the old index is gone)
            self.cleared = True
            D.write(Path(self.ix.storage.folder), self.declared, self.credits)
        if self.cleared:
            self.vocabulary.trim()

    def close(self) -> None:
        """Abandons uncommitted work (after an error or an interrupt)."""
        if self.writer is not None:
            writer, self.writer = self.writer, None
            cancel(writer)
