"""Benchmark corpora by size, built under the work directory and reused between runs.

Sizes:

    shipped   a copy of corpus/ (~490 statements)
    ungdc     all 1,938 UN General Debate speeches of ../shared (with title sidecars)
    news      the 38,227 Channel One news items of ../shared, as JSON Lines by month
    20k, 100k, 30 …  that many synthetic statements of real paragraphs (bench.synthetic)
    1m-short, 50k-short …  that many short synthetic items (one to three paragraphs, as a
              news item, of new text from a chain of the real paragraphs' words), as
              JSON Lines: a million at the cost of a few hundred MB of text

The news set has no licence: it is read from ../shared at benchmark time and
written only under the work directory, never into the project.

`python -m bench.corpora ship` recreates the shipped corpus from ../shared.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from bench import SHARED_RAW, SHIPPED_CORPUS
from bench.ship import UNGDC_COLLECTION, copy_ungdc_session, ship, speakers, write_json
from bench.synthetic import ParagraphPool, write_items, write_statements
from indexer.read import drafts, load
from indexer.scan import scan

# Bump when a generator changes what it writes: cached corpora are rebuilt.
RECIPE_VERSION = 2
SEED = "statements-bench"
ADDED_DIR = "zz-added"  # where the incremental run's new statements go
DEFAULT_SIZES = ("shipped", "ungdc", "news", "100k")
QUICK_SIZES = ("30",)
NEWS_FILES = "ru-1tv-news/1tv_news_*.csv"
UNGDC_SESSIONS = "ungdc/session*_*"


class Unavailable(Exception):
    """A corpus that cannot be built here (its source is missing)."""


@dataclass
class Corpus:
    name: str
    path: Path
    statements: int
    bytes: int  # what the indexer reads: statement files and sidecars
    description: str

    def as_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


SHORT = "-short"  # a size's suffix for short items
MULTIPLIERS = {"": 1, "k": 1000, "m": 1_000_000}


def synthetic_count(name: str) -> int | None:
    """"100k" → 100000, "1m-short" → 1000000, "30" → 30; None for a named corpus."""
    m = re.fullmatch(rf"(\d+)([km]?)(?:{SHORT})?", name.strip().lower())
    if not m:
        return None
    return int(m.group(1)) * MULTIPLIERS[m.group(2)]


def check_size_name(name: str) -> str:
    if name in ("shipped", "ungdc", "news") or synthetic_count(name):
        return name
    raise ValueError(f"unknown size {name!r}: use shipped, ungdc, news, or a count such as 20k "
                     f"(statements) or 1m{SHORT} (short items)")


def shared_available() -> bool:
    return (SHARED_RAW / "ungdc").is_dir()


def measure(path: Path) -> tuple[int, int]:
    """(statements, bytes) of a corpus, as the indexer's reader sees it."""
    statements = size = 0
    for group in scan(path).groups.values():
        size += sum(f.stat().st_size for f in group.files)
        size += group.sidecar.stat().st_size if group.sidecar else 0
        statements += len(drafts(load(group))[0]) if group.is_records else 1
    return statements, size


# --- paragraph pools ----------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def paragraph_pool(source: str) -> ParagraphPool:
    """Real paragraphs from ../shared ("shared") or from corpus/ ("corpus")."""
    if source == "corpus":
        found = scan(SHIPPED_CORPUS)
        texts = (d.text for key in sorted(found.groups)
                 for d in drafts(load(found.groups[key]))[0])
        return ParagraphPool.from_texts(texts)
    return ParagraphPool.from_texts(_shared_texts())


def _shared_texts():
    for path in sorted(SHARED_RAW.glob(f"{UNGDC_SESSIONS}/*.txt")):
        yield path.read_text(encoding="utf-8")
    for path in sorted(SHARED_RAW.glob("ru-golunov-meduza/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line).get("text") or ""
    for row in _news_rows():
        yield row["content"]


def _news_rows():
    for path in sorted(SHARED_RAW.glob(NEWS_FILES)):
        with open(path, newline="", encoding="utf-8") as f:
            yield from csv.DictReader(f)


def pool_source(quick: bool) -> str:
    return "shared" if shared_available() and not quick else "corpus"


# --- building ------------------------------------------------------------------------------


def prepare(name: str, work: Path, quick: bool = False, log=print) -> Corpus:
    """The corpus of a size, built under `work/corpora/` unless already there.

    Raises Unavailable when its source is missing.
    """
    root = work / "corpora"
    path = root / name
    recipe = _recipe(name, quick)
    manifest = root / f"{name}.json"
    if manifest.is_file() and path.is_dir():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved.get("recipe") == recipe:
            remove_added(path)
            return Corpus(name, path, saved["statements"], saved["bytes"], saved["description"])
    log(f"[corpus] building {name} in {path}")
    if path.exists():
        shutil.rmtree(path)
    root.mkdir(parents=True, exist_ok=True)
    description = _build(name, path, recipe)
    statements, size = measure(path)
    manifest.write_text(json.dumps({"recipe": recipe, "statements": statements, "bytes": size,
                                    "description": description}, indent=2), encoding="utf-8")
    log(f"[corpus] {name}: {statements:,} statements, {size / 1e6:.1f} MB")
    return Corpus(name, path, statements, size, description)


def _recipe(name: str, quick: bool) -> dict:
    count = synthetic_count(name)
    if count:
        recipe = {"version": RECIPE_VERSION, "kind": "synthetic", "count": count,
                  "seed": SEED, "pool": pool_source(quick)}
        return {**recipe, "short": "word chain"} if name.endswith(SHORT) else recipe
    if name != "shipped" and not shared_available():
        raise Unavailable(f"{name}: needs {SHARED_RAW}, which is not here")
    return {"version": RECIPE_VERSION, "kind": name}


def _build(name: str, path: Path, recipe: dict) -> str:
    if recipe["kind"] == "synthetic":
        pool = paragraph_pool(recipe["pool"])
        where = "../shared" if recipe["pool"] == "shared" else "corpus/"
        if recipe.get("short"):
            write_items(pool, path, recipe["count"], f"{SEED}-{name}")
            return f"short synthetic items (one to three paragraphs) of a word chain of real paragraphs from {where}"
        write_statements(pool, path, recipe["count"], f"{SEED}-{name}")
        return f"synthetic statements of real paragraphs from {where}"
    if name == "shipped":
        shutil.copytree(SHIPPED_CORPUS, path)
        return "corpus/ as shipped"
    if name == "ungdc":
        table = speakers(SHARED_RAW)
        for session in sorted(SHARED_RAW.glob(UNGDC_SESSIONS)):
            copy_ungdc_session(session, path / session.name, table)
        write_json(path / "_collection.json", UNGDC_COLLECTION)
        return "UN General Debate speeches 2015–2024"
    _write_news(path)
    return "Channel One news items 2019–2025 (read from ../shared, not redistributed)"


def _write_news(path: Path) -> None:
    """The news items as JSON Lines, one file per month: {id, date, title, lang, text}."""
    months: dict[str, list[str]] = {}
    for row in _news_rows():
        record = {
            "id": row["url"].split("/news/", 1)[-1].strip("/"),  # unique; its last part is not
            "date": row["date_extracted"],
            "title": " ".join(row["title"].split()) or None,
            "lang": "ru",
            "text": row["content"],
        }
        record = {k: v for k, v in record.items() if v}
        months.setdefault(row["date_extracted"][:7], []).append(json.dumps(record, ensure_ascii=False))
    for month, lines in sorted(months.items()):
        folder = path / month[:4]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"news-{month}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- the incremental run's new statements ----------------------------------------------


def add_statements(corpus: Corpus, quick: bool = False, fraction: float = 0.01) -> int:
    """Adds `fraction` new statements to the corpus (in their own folder); returns how many."""
    count = max(1, round(corpus.statements * fraction))
    write_statements(paragraph_pool(pool_source(quick)), corpus.path / ADDED_DIR, count,
                     f"{SEED}-{corpus.name}-added", prefix="a")
    return count


def remove_added(path: Path) -> None:
    shutil.rmtree(path / ADDED_DIR, ignore_errors=True)


# --- command line ----------------------------------------------------------------------


@click.group()
def main():
    """Benchmark corpora, and the shipped selection."""


@main.command("ship")
@click.option("--raw", type=click.Path(path_type=Path), default=SHARED_RAW, show_default=True,
              help="The full sets (../shared/corpus-raw).")
@click.option("--corpus", type=click.Path(path_type=Path), default=SHIPPED_CORPUS,
              show_default=True, help="Where the shipped corpus lives.")
def ship_command(raw, corpus):
    """Recreate the shipped corpus's files from the full sets."""
    try:
        counts = ship(raw, corpus)
    except FileNotFoundError as err:
        raise click.ClickException(str(err))
    parts = ", ".join(f"{k} {v}" for k, v in counts.items())
    click.echo(f"wrote {sum(counts.values())} statements to {corpus} ({parts})")


@main.command("build")
@click.argument("sizes", nargs=-1, required=True)
@click.option("--work", type=click.Path(path_type=Path), default=None,
              help="Work directory [default: bench/work].")
def build_command(sizes, work):
    """Build benchmark corpora ahead of a run (e.g. `build ungdc 100k`)."""
    from bench import DEFAULT_WORK

    for name in sizes:
        try:
            corpus = prepare(check_size_name(name), work or DEFAULT_WORK, log=click.echo)
        except (ValueError, Unavailable) as err:
            raise click.ClickException(str(err))
        click.echo(f"{corpus.name}: {corpus.statements:,} statements in {corpus.path}")


if __name__ == "__main__":
    main(prog_name="python -m bench.corpora")
