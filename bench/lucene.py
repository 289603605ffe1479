"""Lucene BM25 itself on a collection of bench.ir: Anserini 0.22.1, the jar
inside the pyserini 0.22.1 wheel, on the machine's Java (17 or newer).

The same files as ours: the collection's statements (`id`, `text`, `lang`)
become Anserini's JsonCollection (`id`, `contents`), indexed with the
Snowball analyser of their language; each question is searched as a bag of
words with BM25 (k1 0.9, b 0.4), 100 hits. The run is scored by bench.ir's
own metrics, so the two columns of its table are computed alike.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

WHEEL = "pyserini==0.22.1"
JAR = "anserini-0.22.1-fatjar.jar"
JAR_IN_WHEEL = f"pyserini/resources/jars/{JAR}"
TIMEOUT = 1800  # seconds an index or a search run may take


class LuceneUnavailable(Exception):
    """Why Lucene cannot run here (no Java, no wheel to be had)."""


def anserini_jar(work: Path, log) -> Path:
    """The Anserini jar, taken from the pyserini wheel (downloaded once into `work`)."""
    if shutil.which("java") is None:
        raise LuceneUnavailable("no java on PATH (Debian: openjdk-17-jre-headless)")
    jar = work / JAR
    if jar.is_file():
        return jar
    work.mkdir(parents=True, exist_ok=True)
    log(f"downloading {WHEEL} for its Anserini jar into {work}")
    done = subprocess.run([sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-q", "-d", str(work)],
                          capture_output=True, text=True)
    wheels = sorted(work.glob("pyserini-0.22.1-*.whl"))
    if done.returncode != 0 or not wheels:
        raise LuceneUnavailable(f"pip could not download {WHEEL}: {done.stderr.strip()[-300:]}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        jar.write_bytes(wheel.read(JAR_IN_WHEEL))
    for wheel_path in wheels:
        wheel_path.unlink()
    return jar


def write_collection(corpus: Path, dest: Path) -> str:
    """Writes the statements of `corpus` (*.jsonl) as Anserini's JsonCollection
    into `dest`; returns their language (the analyser Anserini must use)."""
    dest.mkdir(parents=True, exist_ok=True)
    langs = set()
    with (dest / "docs.jsonl").open("w", encoding="utf-8") as out:
        for path in sorted(corpus.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    langs.add(record.get("lang", "en"))
                    out.write(json.dumps({"id": str(record["id"]), "contents": record["text"]},
                                         ensure_ascii=False) + "\n")
    if len(langs) != 1:
        raise ValueError(f"{corpus}: one language expected, found {sorted(langs) or 'none'}")
    return langs.pop()


def read_trec_run(path: Path) -> dict[str, list[str]]:
    """A TREC run file (question, Q0, document, rank, score, tag) → {question: documents by rank}."""
    ranked: dict[str, list[tuple[int, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 6:
            ranked.setdefault(parts[0], []).append((int(parts[3]), parts[2]))
    return {q: [doc for _, doc in sorted(hits)] for q, hits in ranked.items()}


def lucene_run(jar: Path, source: Path, work: Path, hits: int) -> dict[str, list[str]]:
    """Indexes the collection in `source` and searches its topics.tsv: {question: documents}."""
    shutil.rmtree(work, ignore_errors=True)
    lang = write_collection(source / "corpus", work / "docs")
    java = ["java", "-cp", str(jar)]
    _run(java + ["io.anserini.index.IndexCollection", "-collection", "JsonCollection",
                 "-input", str(work / "docs"), "-index", str(work / "index"),
                 "-generator", "DefaultLuceneDocumentGenerator", "-threads", "1",
                 "-storePositions", "-storeDocvectors", "-storeRaw", "-language", lang])
    _run(java + ["io.anserini.search.SearchCollection", "-index", str(work / "index"),
                 "-topics", str(source / "topics.tsv"), "-topicreader", "TsvString",
                 "-output", str(work / "run.txt"), "-bm25", "-hits", str(hits), "-language", lang])
    return read_trec_run(work / "run.txt")


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        raise LuceneUnavailable(f"{command[3]} failed: {done.stderr.strip()[-500:]}")
