"""Finding statements in the corpus: walking it, ignore files, translation pairs, sidecars.

The corpus is a folder tree. Each supported file is a statement, except that
translations (`064-20.en.txt` and `064-20.ru.txt`) form one statement, and a
JSON or JSON Lines file holds one statement per record. `NAME.meta.json`
beside a file overrides what is extracted from it; `_collection.json` in a
folder gives defaults to everything below it. Nothing here reads a file's content.
"""

from __future__ import annotations

import fnmatch
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indexer.declared import SETTINGS_FILE
from indexer.decode import unlinkable
from indexer.formats import RECORD_SUFFIXES, SUPPORTED_SUFFIXES
from indexer.summary import Problem
from search import config
from search.lang.table import LANGUAGES

SIDECAR_SUFFIX = ".meta.json"
COLLECTION_FILE = "_collection.json"  # a folder's metadata defaults, not a statement
IGNORE_FILE = ".indexignore"
TRANSLATION_LANGS = LANGUAGES  # NAME.en.txt, NAME.ru.txt, NAME.uk.txt
DEFAULT_MAX_FILE_SIZE = int(config.MAX_FILE_MB.default * config.MB)
NOT_UTF8 = "the file name is not UTF-8 (rename it)"


@dataclass
class SourceGroup:
    """The files that make one statement, or one file of records.

    `key` is the corpus-relative path that identifies it: the file's own
    path, or for translations the path without the language infix.
    """

    key: str
    files: list[Path] = field(default_factory=list)
    langs: list[str | None] = field(default_factory=list)
    sidecar: Path | None = None
    defaults: list[Path] = field(default_factory=list)  # folders' _collection.json, outermost first

    @property
    def is_records(self) -> bool:
        return Path(self.key).suffix.lower() in RECORD_SUFFIXES


@dataclass
class ScanResult:
    """The corpus as found: statement groups by key, and what was left out."""

    groups: dict[str, SourceGroup] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # cannot be indexed
    skipped: list[Problem] = field(default_factory=list)  # not meant to be indexed
    blocked: set[str] = field(default_factory=set)  # groups with an unreadable file


def _ignore_patterns(root: Path) -> list[str]:
    path = root / IGNORE_FILE
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _ignored(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def split_lang(name: str) -> tuple[str, str | None]:
    """"064-20.en.txt" → ("064-20.txt", "en"), in any letter case ("064-20.EN.TXT"
    → ("064-20.txt", "en")); other names unchanged."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2].lower() in TRANSLATION_LANGS:
        return ".".join(parts[:-2] + [parts[-1].lower()]), parts[-2].lower()
    return name, None


def scan(root: Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> ScanResult:
    """Walks the corpus and groups its files into statements.

    Hidden files, sidecars and `.indexignore` patterns are left out quietly;
    unsupported formats are listed as skipped; symbolic links are followed
    only to files inside the corpus, and never into directories.
    """
    root = root.resolve()
    patterns = _ignore_patterns(root)
    result = ScanResult()
    groups, problems, skipped = result.groups, result.problems, result.skipped
    sidecars: dict[str, Path | str] = {}  # statement → its NAME.meta.json, or why that is refused
    collections: dict[str, Path] = {}  # folder ("" for the corpus) → its _collection.json

    def onerror(err: OSError) -> None:
        rel = Path(err.filename).relative_to(root).as_posix() if err.filename else "?"
        problems.append(Problem(rel, f"cannot list directory: {err.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        base = Path(dirpath)
        kept = []
        for d in sorted(dirnames):
            rel = (base / d).relative_to(root).as_posix()
            if d.startswith(".") or _ignored(rel, patterns):
                continue
            if not _utf8(rel):
                problems.append(Problem(_shown(rel), NOT_UTF8))
                continue
            if (base / d).is_symlink():
                skipped.append(Problem(rel, "symbolic link to a directory: not followed"))
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = base / name
            rel = path.relative_to(root).as_posix()
            if name.startswith(".") or _ignored(rel, patterns):
                continue
            if not _utf8(rel):
                problems.append(Problem(_shown(rel), NOT_UTF8))
                continue
            if rel == SETTINGS_FILE:  # the corpus's settings (indexer.declared)
                continue
            is_sidecar = name.lower().endswith(SIDECAR_SUFFIX)
            if name == COLLECTION_FILE or is_sidecar:
                # Read only from regular files inside the corpus, as statements are:
                # a link out of it, a FIFO or a device is never opened.
                problem = _check_file(path, root, max_file_size)
                if problem and name == COLLECTION_FILE:
                    problems.append(Problem(_printable(rel), f"{problem}: its defaults are not applied"))
                elif name == COLLECTION_FILE:
                    folder = base.relative_to(root).as_posix()
                    collections["" if folder == "." else folder] = path
                else:
                    sidecars[rel[: -len(SIDECAR_SUFFIX)]] = problem or path
                continue
            suffix = path.suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(Problem(rel, f"unsupported format {suffix or '(no extension)'}"))
                continue
            key, lang = (rel, None) if suffix in RECORD_SUFFIXES else _split_rel(rel)
            problem = _check_file(path, root, max_file_size) or _unlinkable_name(rel)
            if problem:
                problems.append(Problem(_printable(rel), problem))
                result.blocked.add(key)
                continue
            group = groups.setdefault(key, SourceGroup(key))
            group.files.append(path)
            group.langs.append(lang)

    for key, group in groups.items():
        order = sorted(range(len(group.files)), key=lambda i: _lang_rank(group.langs[i]))
        group.files = [group.files[i] for i in order]
        group.langs = [group.langs[i] for i in order]
        names = [key] + [f.relative_to(root).as_posix() for f in group.files]
        candidates = [n for name in names for n in (name.rsplit(".", 1)[0], name)]
        sidecar = next((c for c in candidates if c in sidecars), None)
        group.sidecar = sidecars.get(sidecar)
        group.defaults = _defaults(key, collections)
        collision = _collision(group, root)
        if isinstance(group.sidecar, str):  # refused: the statement waits for its metadata
            collision = f"{sidecar.rsplit('/', 1)[-1]}{SIDECAR_SUFFIX}: {group.sidecar}"
        if collision:
            problems.append(Problem(key, collision))
            result.blocked.add(key)
    for key in result.blocked:
        groups.pop(key, None)
    return result


def _defaults(key: str, collections: dict[str, Path]) -> list[Path]:
    """The _collection.json files of a statement's folders, the corpus's first."""
    parts = key.split("/")[:-1]
    folders = [""] + ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return [collections[f] for f in folders if f in collections]


def _collision(group: SourceGroup, root: Path) -> str | None:
    """Why a group's files cannot make one statement: a file named like the
    statement of a translation pair, or two files of one language."""
    if len(group.files) < 2:
        return None
    langs = group.langs
    if None not in langs and len(set(langs)) == len(langs):
        return None
    names = ", ".join(f.relative_to(root).as_posix() for f in group.files)
    if None in langs:
        return (f"the names collide: {names} would all be the statement {group.key}; "
                "rename the single file or the translations")
    return f"the names collide: {names} are translations into the same language; rename one"


def _unlinkable_name(rel: str) -> str | None:
    reason = unlinkable(rel)
    return f"the file name cannot be a statement's id: {reason} (rename it)" if reason else None


def _printable(name: str) -> str:
    """A name with its control characters written as escapes, safe to print."""
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) == "Cc" else ch for ch in name)


def _utf8(name: str) -> bool:
    """False for a name the file system holds in another encoding (os.walk
    gives its bytes as surrogates, which cannot be stored or printed)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _shown(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _split_rel(rel: str) -> tuple[str, str | None]:
    head, _, name = rel.rpartition("/")
    name, lang = split_lang(name)
    return (f"{head}/{name}" if head else name), lang


def _lang_rank(lang: str | None) -> int:
    return -1 if lang is None else TRANSLATION_LANGS.index(lang)


def _check_file(path: Path, root: Path, max_file_size: int) -> str | None:
    """Why a file cannot be read, or None."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "broken or looping symbolic link"
        if not target.is_relative_to(root):
            return "symbolic link to a file outside the corpus: not followed"
    try:
        st = path.stat()
    except OSError as err:
        return f"cannot read: {err.strerror}"
    if not path.is_file():
        return "not a regular file"
    if st.st_size == 0:
        return "empty file"
    if st.st_size > max_file_size:
        return f"too large ({st.st_size:,} bytes; the limit is {max_file_size:,})"
    if not os.access(path, os.R_OK):
        return "cannot read: permission denied"
    return None
