"""Files → text: finding statements in the corpus, formats, encodings, pairs.

The corpus is a folder tree. Each supported file is a statement, except that
translations (`064-20.en.txt` and `064-20.ru.txt`) form one statement, and a
JSON or JSON Lines file holds one statement per record. `NAME.meta.json`
beside a file overrides what is extracted from it.

Nothing here touches the index.
"""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from search.errors import ReadError
from search.schema import SCHEMA_VERSION

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"
IGNORE_FILE = ".indexignore"
TRANSLATION_LANGS = ("en", "ru")
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024
# Metadata a record or a sidecar may give; anything else is ignored.
META_KEYS = ("title", "date", "number", "lang")

# Bump when reading or extraction changes what is indexed: every statement
# is then re-indexed by the next incremental run.
READER_VERSION = 1


@dataclass(frozen=True)
class Problem:
    """A file (or record) that could not be indexed, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


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


@dataclass
class Draft:
    """A statement's text as read, before metadata extraction."""

    id: str
    text: str
    name: str  # file name, the date fallback
    lang_hint: str | None = None
    given: dict = field(default_factory=dict)  # metadata from the file itself


@dataclass
class LoadedGroup:
    group: SourceGroup
    contents: list[bytes]
    sidecar: bytes | None
    hash: str


# --- finding files ------------------------------------------------------------


def _ignore_patterns(root: Path) -> list[str]:
    path = root / IGNORE_FILE
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _ignored(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _split_lang(name: str) -> tuple[str, str | None]:
    """"064-20.en.txt" → ("064-20.txt", "en"); other names unchanged."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2].lower() in TRANSLATION_LANGS:
        return ".".join(parts[:-2] + parts[-1:]), parts[-2].lower()
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
    sidecars: dict[str, Path] = {}

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
            if name.lower().endswith(SIDECAR_SUFFIX):
                sidecars[rel[: -len(SIDECAR_SUFFIX)]] = path
                continue
            suffix = path.suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(Problem(rel, f"unsupported format {suffix or '(no extension)'}"))
                continue
            key, lang = (rel, None) if suffix in RECORD_SUFFIXES else _split_rel(rel)
            problem = _check_file(path, root, max_file_size)
            if problem:
                problems.append(Problem(rel, problem))
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
        group.sidecar = next((sidecars[c] for c in candidates if c in sidecars), None)
    for key in result.blocked:
        groups.pop(key, None)
    return result


NOT_UTF8 = "the file name is not UTF-8 (rename it)"


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
    name, lang = _split_lang(name)
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


# --- loading and hashing ------------------------------------------------------------


def load(group: SourceGroup) -> LoadedGroup:
    """Reads a group's bytes once and hashes them (raises ReadError)."""
    digest = hashlib.sha256(f"v{READER_VERSION}.{SCHEMA_VERSION}".encode())
    contents = []
    for path in group.files:
        data = _read_bytes(path)
        digest.update(path.name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
        contents.append(data)
    sidecar = _read_bytes(group.sidecar) if group.sidecar else None
    if sidecar is not None:
        digest.update(b"meta\0" + sidecar)
    return LoadedGroup(group, contents, sidecar, digest.hexdigest()[:32])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise ReadError(f"{path.name}: cannot read: {err.strerror}") from err


# --- decoding -------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings worth considering when a file is not UTF-8: Cyrillic
# first, then Western European for old English text.
LEGACY_ENCODINGS = ["cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5", "cp1252"]


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes → text: BOM, then UTF-8, then a declared or detected legacy encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise ReadError(f"invalid {encoding.upper()} text after its byte-order mark ({err.reason})")
    if b"\0" in data[:8192]:
        raise ReadError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None or best.percent_chaos > 20:
        raise ReadError("cannot detect the text encoding (not UTF-8, UTF-16 or a known Cyrillic encoding)")
    return str(best)


# Runs of blanks other than a single plain space (which needs no change).
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")
_INVISIBLES = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize(text: str) -> str:
    """Unix newlines, one space between words, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLES.sub("", text)
    text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


# --- formats ----------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """Collects the visible text of an HTML page, a title, and dated meta tags."""

    HIDDEN = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
    BLOCKS = {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "blockquote",
        "pre", "figure", "figcaption", "dl", "dt", "dd", "hr", "address",
    }
    DATE_META = {"date", "dc.date", "dcterms.date", "article:published_time", "pubdate"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.title_parts: list[str] | None = None
        self.title = ""
        self.h1_parts: list[str] | None = None
        self.h1 = ""
        self.date = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            name = (attrs.get("name") or attrs.get("property") or "").lower()
            if name in self.DATE_META and attrs.get("content") and not self.date:
                self.date = attrs["content"]
            return
        if tag == "time" and attrs.get("datetime") and not self.date:
            self.date = attrs["datetime"]
        if tag == "title":
            self.title_parts = []
        elif tag in self.HIDDEN:
            self.hidden += 1
        if tag == "h1" and not self.h1:
            self.h1_parts = []
        if tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title" and self.title_parts is not None:
            self.title = " ".join("".join(self.title_parts).split())
            self.title_parts = None
        elif tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag == "h1" and self.h1_parts is not None:
            self.h1 = " ".join("".join(self.h1_parts).split())
            self.h1_parts = None
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if self.hidden:
            return
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        self.parts.append(data)


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def read_html(data: bytes) -> tuple[str, dict]:
    m = _CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii") if m else None
    parser = _VisibleText()
    parser.feed(decode(data, declared))
    parser.close()
    text = "".join(parser.parts)
    given = {}
    if parser.h1 or parser.title:
        given["title"] = parser.h1 or parser.title
    if parser.date:
        given["date"] = parser.date
    return text, given


_FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MD_RULES = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → link text
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fences
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),  # italics
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), ""),  # rules
]


def read_markdown(text: str) -> tuple[str, dict]:
    given = {}
    m = _FRONT_MATTER_RE.match(text)
    if m:
        text = text[m.end():]
        for line in m.group(1).splitlines():
            key, sep, value = line.partition(":")
            key = key.strip().lower()
            if sep and key in META_KEYS and value.strip():
                given[key] = value.strip().strip("'\"")
    heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", text, re.M)
    if heading and "title" not in given:
        given["title"] = heading.group(1)
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, given


def _records(data: bytes, suffix: str, rel: str):
    """(record id, record) or (None, Problem) for each record of a JSON file."""
    text = decode(data)
    if suffix == ".json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            raise ReadError(f"invalid JSON: {err.msg} at line {err.lineno}, column {err.colno}")
        items = value if isinstance(value, list) else [value]
        for n, item in enumerate(items, 1):
            yield _record(item, f"record {n}", str(n), rel)
        return
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            yield None, Problem(f"{rel}:{n}", f"invalid JSON: {err.msg} at column {err.colno}")
            continue
        yield _record(item, f"line {n}", str(n), rel)


def _record(item, where: str, fallback_id: str, rel: str):
    if not isinstance(item, dict):
        return None, Problem(f"{rel} {where}", "not a JSON object")
    body = item.get("text")
    if not isinstance(body, str) or not body.strip():
        return None, Problem(f"{rel} {where}", 'no "text" (a non-empty string) in the record')
    rec_id = item.get("id")
    rec_id = str(rec_id).strip() if isinstance(rec_id, (str, int)) and str(rec_id).strip() else fallback_id
    given = {k: item[k] for k in META_KEYS if item.get(k) not in (None, "")}
    return rec_id, (body, given)


def read_sidecar(data: bytes, name: str) -> dict:
    try:
        value = json.loads(decode(data))
    except (json.JSONDecodeError, ReadError) as err:
        raise ReadError(f"{name}: invalid metadata file: {err}")
    if not isinstance(value, dict):
        raise ReadError(f"{name}: invalid metadata file: expected a JSON object")
    return {k: value[k] for k in META_KEYS if value.get(k) not in (None, "")}


def drafts(loaded: LoadedGroup) -> tuple[list[Draft], list[Problem]]:
    """The statements in a loaded group, and per-record problems.

    Raises ReadError when the group as a whole cannot be read.
    """
    group = loaded.group
    sidecar = read_sidecar(loaded.sidecar, group.sidecar.name) if loaded.sidecar else {}
    if group.is_records:
        out, problems, seen = [], [], set()
        suffix = Path(group.key).suffix.lower()
        for rec_id, item in _records(loaded.contents[0], suffix, group.key):
            if rec_id is None:
                problems.append(item)
                continue
            doc_id = f"{group.key}#{rec_id}"
            if doc_id in seen:
                problems.append(Problem(doc_id, "duplicate record id: the first one is kept"))
                continue
            seen.add(doc_id)
            body, given = item
            given.update(sidecar)
            out.append(Draft(doc_id, normalize(body), Path(group.key).name, given.get("lang"), given))
        if not out and not problems:
            raise ReadError("no records")
        return out, problems

    texts, given = [], {}
    for path, data, lang in zip(group.files, loaded.contents, group.langs):
        try:
            text, found = _read_text_file(path, data)
        except ReadError as err:
            raise ReadError(f"{path.name}: {err}" if len(group.files) > 1 else str(err))
        if not text:
            raise ReadError(f"{path.name}: no text" if len(group.files) > 1 else "no text")
        texts.append(text)
        for key, value in found.items():
            given.setdefault(key, value)
    given.update(sidecar)
    hint = given.get("lang") or group.langs[0]
    name = Path(group.key).name
    return [Draft(group.key, "\n\n".join(texts), name, hint, given)], []


def _read_text_file(path: Path, data: bytes) -> tuple[str, dict]:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text, given = read_html(data)
    elif suffix in (".md", ".markdown"):
        text, given = read_markdown(decode(data))
    else:
        text, given = decode(data), {}
    return normalize(text), given
