"""Incremental indexing: compare the corpus with the index, write the difference.

Each statement remembers the group of files it came from and their content
hash. A run hashes every group, adds new ones, replaces changed ones (delete
and add in one commit), removes those whose files are gone, and leaves the
rest alone; when nothing changed it opens no writer at all. A group that
cannot be read keeps whatever was indexed from it before.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR

from indexer.extract import extract, parse_date
from indexer.read import (
    DEFAULT_MAX_FILE_SIZE,
    Draft,
    LoadedGroup,
    Problem,
    ReadError,
    drafts,
    load,
    scan,
)
from search import schema as S
from search.errors import IndexingError, IndexLocked, IndexUnusable
from search.analysis import clean_words, word_forms

LOCK_NAME = "indexer.lock"
COMMIT_EVERY = 5000  # statements per commit in incremental runs
WRITER_MEMORY_MB = 256
# One file per segment part, not one compound file: Whoosh reads a compound
# file's parts into memory for every open searcher, which costs the server
# gigabytes on a large index; separate files are mapped and shared.
COMPOUND = False
# A group that was indexed with problems (say, a broken JSON line) stores this
# prefix on its hash, so every run reads it again and reports the problem.
PARTIAL = "partial-"


@dataclass
class Summary:
    """What a run did, counted in statements; problems name files and reasons."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    documents: int = 0
    commits: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.problems)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "documents": self.documents,
            "commits": self.commits,
            "seconds": round(self.seconds, 3),
            "problems": [{"path": p.path, "reason": p.reason} for p in self.problems],
            "warnings": [{"path": p.path, "reason": p.reason} for p in self.warnings],
            "skipped": [{"path": p.path, "reason": p.reason} for p in self.skipped],
        }


# --- the index and its lock ---------------------------------------------------------


@contextmanager
def indexer_lock(index_dir: Path, wait: float = 0.0):
    """Holds an exclusive lock on the index for the whole run.

    The lock is an OS file lock: it goes away with the process, so a killed
    indexer never leaves a stale lock behind.
    """
    path = index_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise IndexingError(f"cannot write to the index directory {index_dir}: {err.strerror}")
    deadline = time.monotonic() + max(wait, 0.0)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"another indexer is writing to {index_dir}; wait for it to finish, "
                        "or pass --wait SECONDS to wait for the lock"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


def open_index(index_dir: Path, rebuild: bool = False):
    """Opens the statements index in `index_dir`, creating it if there is none.

    Returns (statements index, vocabulary index). An index written by an
    incompatible version is only replaced when `rebuild` is asked for.
    """
    where = str(index_dir)
    if whoosh_index.exists_in(where):
        try:
            return S.open_indexes(where)
        except IndexUnusable as err:
            problem = str(err)
        except Exception as err:  # a damaged or foreign index: say so, plainly
            problem = f"it cannot be opened ({err})"
        if not rebuild:
            raise IndexingError(
                f"cannot use the index in {index_dir}: {problem}; "
                "run `python -m indexer --rebuild` to build it again"
            )
    elif any(not _left_by_a_first_run(p.name) for p in index_dir.iterdir()):
        raise IndexingError(
            f"{index_dir} is not empty and holds no index; choose an empty or new directory"
        )
    vocabulary = whoosh_index.create_in(
        where, S.build_vocabulary_schema(), indexname=S.VOCABULARY_INDEX
    )
    return whoosh_index.create_in(where, S.build_schema()), vocabulary


def _left_by_a_first_run(name: str) -> bool:
    """The lock, and the files of a vocabulary or statements index that a first
    run stopped before creating both indexes leaves: safe to create over."""
    if name == LOCK_NAME:
        return True
    return any(name.startswith(prefix) for index in (S.VOCABULARY_INDEX, "MAIN")
               for prefix in (f"_{index}_", f"{index}_", f"{index}.tmp"))


class Vocabulary:
    """The corpus's word forms: those the vocabulary index holds, and new ones.

    New words are committed before the statements that use them, so the
    vocabulary always covers every committed statement. A rebuild, once its
    statements are committed, also drops the words no statement uses any
    more, if there are enough of them to matter.
    """

    STALE_SHARE = 0.05  # of the vocabulary, before a rebuild rewrites it

    def __init__(self, ix, rebuild: bool):
        self.ix = ix
        with ix.reader() as reader:
            held = set(S.vocabulary_words(reader))
        # Every form met so far, clean or raw, so each is cleaned only once.
        self.seen: set[str] = set(held)
        self.new: set[str] = set()
        # A rebuild keeps what the index held and what this run used, to trim.
        self.held = held if rebuild else None
        self.used: set[str] = set()

    def add(self, forms: set[str]) -> None:
        """Takes a statement's word forms (see analysis.word_forms)."""
        if self.held is not None:
            self.used |= forms & self.held
        fresh = forms - self.seen
        if not fresh:
            return
        words = clean_words(fresh) - self.seen
        self.seen |= fresh
        self.seen |= words
        self.new |= words
        if self.held is not None:
            self.used |= words

    def commit(self) -> None:
        """Adds the new words (before the statements' commit)."""
        if self.new:
            self._write(self.new, None)
            self.new = set()

    def trim(self) -> None:
        """After a rebuild's statements are committed: drops unused words."""
        if self.held is None:
            return
        stale = self.held - self.used
        if len(stale) > self.STALE_SHARE * max(len(self.held), 1):
            self._write(self.used, CLEAR)
        self.held = None
        self.used = set()

    def _write(self, words: set[str], mergetype) -> None:
        writer = self.ix.writer(compound=COMPOUND)
        try:
            if words:
                writer.add_document(**{S.WORDS: "\n".join(sorted(words))})
            writer.commit(mergetype=mergetype)
        except BaseException:
            _cancel(writer)
            raise


def indexed_groups(ix) -> dict[str, tuple[str, set[str]]]:
    """For each indexed group: its stored hash and the ids of its statements."""
    groups: dict[str, tuple[str, set[str]]] = {}
    with ix.reader() as reader:
        if not reader.doc_count():
            return groups
        ids = S.read_column(reader, S.ID)
        keys = S.read_column(reader, S.GROUP)
        hashes = S.read_column(reader, S.HASH)
        for docnum in reader.all_doc_ids():
            entry = groups.setdefault(keys[docnum], (hashes[docnum], set()))
            entry[1].add(ids[docnum])
    return groups


# --- statements → index fields -------------------------------------------------------


def statement_fields(draft: Draft, loaded: LoadedGroup, group_hash: str):
    """The index fields of one statement, and warnings about its metadata."""
    meta = extract(draft.text, draft.name, draft.lang_hint)
    warnings = []
    given = draft.given
    if given.get("title"):
        meta.title = " ".join(str(given["title"]).split())
    if given.get("number"):
        meta.docno = str(given["number"]).strip()
    if given.get("date"):
        try:
            meta.date, meta.year = parse_date(given["date"])
        except ValueError as err:
            warnings.append(Problem(draft.id, f"{err}; the date found in the text is used"))
    date = meta.date
    month = date.month if date else None
    bodies = {lang: text for lang, text in _join_sections(meta.sections).items()}
    fields = {
        S.ID: draft.id,
        S.GROUP: loaded.group.key,
        S.HASH: group_hash,
        S.SOURCES: [p.name for p in loaded.group.files],
        S.TITLE: meta.title,
        S.DATE: date.isoformat() if date else (str(meta.year) if meta.year else None),
        S.DATEKEY: S.date_key(meta.year, month, date.day if date else None),
        S.NUMBERS: meta.numbers,
        S.MENTIONED_YEARS: meta.mentioned_years,
        S.LANG: " ".join(bodies),
        S.YEAR_COL: meta.year or 0,
        S.MONTH_COL: month or 0,
        S.LANG_COL: S.lang_mask(bodies),
        # The number facet shows numbers other than years; years have their own.
        S.NUMBERS_COL: S.pack_ints(set(meta.numbers) - set(meta.mentioned_years)),
        S.MENTIONED_YEARS_COL: S.pack_ints(meta.mentioned_years),
    }
    for lang, text in bodies.items():
        fields[S.BODY[lang]] = text
    if meta.year:
        fields[S.YEAR] = meta.year
    if meta.docno:
        fields[S.DOCNO] = meta.docno
    return fields, warnings


def _join_sections(sections) -> dict[str, str]:
    bodies: dict[str, list[str]] = {}
    for lang, text in sections:
        bodies.setdefault(lang, []).append(text)
    return {lang: "\n\n".join(texts) for lang, texts in bodies.items()}


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
    commit_every: int = COMMIT_EVERY,
    progress: ProgressFn | None = None,
) -> Summary:
    """Brings the index in `index_dir` up to date with `corpus`.

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

    with indexer_lock(index_dir, wait):
        run = None
        try:
            ix, vocabulary_ix = open_index(index_dir, rebuild)
            run = _Run(ix, Vocabulary(vocabulary_ix, rebuild), procs, rebuild, commit_every)
            summary = run.sync(corpus, max_file_size, progress)
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

    def __init__(self, ix, vocabulary: Vocabulary, procs: int, rebuild: bool, commit_every: int):
        self.ix = ix
        self.vocabulary = vocabulary
        self.procs = procs
        self.rebuild = rebuild
        self.commit_every = commit_every if not rebuild else 0
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
            loaded = load(group)
        except ReadError as err:
            summary.problems.append(Problem(group.key, str(err)))
            return
        if previous and previous[0].removeprefix(PARTIAL) == loaded.hash:
            if previous[0].startswith(PARTIAL):  # its problems are reported again
                try:
                    summary.problems.extend(drafts(loaded)[1])
                except ReadError as err:
                    summary.problems.append(Problem(group.key, str(err)))
            summary.unchanged += len(previous[1])
            return
        try:
            found, problems = drafts(loaded)
        except ReadError as err:
            summary.problems.append(Problem(group.key, str(err)))
            return
        group_hash = (PARTIAL + loaded.hash) if problems else loaded.hash
        summary.problems.extend(problems)
        documents = []
        for draft in found:
            fields, warnings = statement_fields(draft, loaded, group_hash)
            summary.warnings.extend(warnings)
            documents.append(fields)
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
        if self.commit_every and self.pending >= self.commit_every:
            self._commit()

    def _writer(self):
        if self.writer is None:
            _check_writable(Path(self.ix.storage.folder))
            kwargs = {"limitmb": WRITER_MEMORY_MB, "compound": COMPOUND}
            if self.procs > 1:
                kwargs.update(procs=self.procs, multisegment=True)
            self.writer = self.ix.writer(**kwargs)
        return self.writer

    def _commit(self, final: bool = False) -> None:
        if self.writer is None:
            if final and self.rebuild and not self.cleared:
                self._writer()  # a rebuild of an empty corpus still clears the index
            else:
                return
        writer, self.writer = self.writer, None
        try:
            self.vocabulary.commit()
            if self.rebuild and not self.cleared:
                writer.commit(mergetype=CLEAR)
                self.cleared = True
            else:
                writer.commit()
        except OSError:
            _cancel(writer)
            raise  # update_index() says what happened
        self.summary.commits += 1
        self.pending = 0
        if self.cleared:
            self.vocabulary.trim()

    def close(self) -> None:
        """Abandons uncommitted work (after an error or an interrupt)."""
        if self.writer is not None:
            writer, self.writer = self.writer, None
            _cancel(writer)


def _check_writable(index_dir: Path) -> None:
    """Raises OSError unless files can be created in the index directory.

    Checked before Whoosh opens a writer: a writer that fails while it starts
    keeps Whoosh's lock file locked for as long as the process lives.
    """
    with tempfile.TemporaryFile(dir=index_dir):
        pass


def _cancel(writer) -> None:
    try:
        writer.cancel()
    except Exception:  # best effort: the last commit is intact either way
        pass
