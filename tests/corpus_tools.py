"""Small generated corpora and index inspection, for the fault and concurrency tests.

The statements are cut from the shipped corpus (UN speeches in English,
Meduza articles in Russian), so the analysers see real text, but each one is
short: a whole run of the indexer takes a second or two.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from whoosh import index as whoosh_index

from search import schema as S
from search.exec import storage
from search.lang.analysis import surface_words
from search.exec.texts import Texts

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _speeches() -> list[Path]:
    return sorted(p for p in (CORPUS / "ungdc").rglob("*.txt") if not p.name.startswith("README"))


def _articles() -> list[dict]:
    lines = (CORPUS / "meduza" / "golunov_meduza_articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def statement_text(i: int, chars: int = 500, revision: str = "") -> str:
    """The text of a short dated statement: English for most i, Russian for every third."""
    day = i % 28 + 1
    if i % 3 == 2:
        articles = _articles()
        article = articles[i % len(articles)]
        title = f"Заявление {i}: {article['title']}"
        body = article["text"][:chars]
        header = f"{day} марта 2020 года"
    else:
        speeches = _speeches()
        speech = speeches[(i * 7) % len(speeches)]
        title = f"Statement {i} on {speech.stem}"
        body = speech.read_text(encoding="utf-8")[:chars]
        header = f"{day} March 2020"
    if revision:
        body += f"\n\n{revision}"
    return f"{title}\n\n{header}\n\n{body}\n"


def write_statements(dest: Path, names: dict[str, str]) -> Path:
    """Writes {relative name: text} under dest (created)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, text in names.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest


def small_corpus(dest: Path, n: int, chars: int = 500) -> Path:
    """n short statements named s000.txt, s001.txt, …"""
    return write_statements(dest, {f"s{i:03d}.txt": statement_text(i, chars) for i in range(n)})


# --- reading an index directly ---------------------------------------------------------


def stored(index_dir) -> dict[str, dict] | None:
    """{id: stored fields, with each language's text under its body field} of the
    statements index, or None when there is none."""
    where = str(index_dir)
    if not whoosh_index.exists_in(where):
        return None
    ix = whoosh_index.open_dir(where)
    out = {}
    with ix.searcher() as searcher:
        texts = Texts(searcher)
        for docnum in searcher.reader().all_doc_ids():
            fields = searcher.stored_fields(docnum)
            fields.update((S.BODY[lang], text) for lang, text in texts.sections(fields, docnum))
            out[fields[S.ID]] = fields
    return out


def vocabulary(index_dir) -> set[str] | None:
    where = str(index_dir)
    if not whoosh_index.exists_in(where, indexname=S.VOCABULARY_INDEX):
        return None
    ix = whoosh_index.open_dir(where, indexname=S.VOCABULARY_INDEX)
    with ix.reader() as reader:
        return set(storage.vocabulary_words(reader))


def words_of(fields: dict) -> set[str]:
    """The word forms the indexer puts into the vocabulary for one statement."""
    return surface_words(*(fields.get(f) or "" for f in S.TEXT_FIELDS))


def uncovered_words(index_dir) -> set[str]:
    """Words of committed statements that the vocabulary index lacks."""
    docs = stored(index_dir) or {}
    words = vocabulary(index_dir) or set()
    missing: set[str] = set()
    for fields in docs.values():
        missing |= words_of(fields) - words
    return missing


def snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    """{relative path: (size, mtime_ns)} of every file under a directory."""
    out = {}
    for dirpath, _, filenames in os.walk(directory):
        for name in filenames:
            path = Path(dirpath) / name
            st = path.stat()
            out[path.relative_to(directory).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


# --- running the indexer ---------------------------------------------------------------


def indexer_command(corpus, index_dir, *args) -> list[str]:
    return [sys.executable, "-m", "indexer", "--corpus", str(corpus), "--index", str(index_dir), *args]


def run_indexer(corpus, index_dir, *args, timeout=120, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **kwargs.pop("env", {})}
    for name in ("STATEMENTS_CORPUS", "STATEMENTS_INDEX", "STATEMENTS_MAX_FILE_MB", "STATEMENTS_PROCS"):
        env.pop(name, None)
    return subprocess.run(
        indexer_command(corpus, index_dir, *args), capture_output=True, text=True,
        timeout=timeout, cwd=ROOT, env=env, **kwargs,
    )
