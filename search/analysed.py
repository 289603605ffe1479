"""The analysed corpus: one row per statement, with each language's text and its
tokens (word form, lemmas or stem, position, character offsets), as a Parquet
dataset or JSON Lines.

The indexer's workers write it (indexer/cluster.py) and the index is written
from it without analysing again; `python -m search export` writes it from an
index for researchers (R's arrow, Python's pyarrow or pandas). A token's terms
are the index's own: a body's analyser (`term_postings`) gives each term its
occurrences, and a row keeps them per token.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from search import schema as S
from search.errors import StatementsError
from search.lang.table import LANGUAGES
from search.lang.morphology import EXACT

EXTRA = "cluster"  # the optional dependencies' extra in pyproject.toml
PART_ROWS = 2000  # statements per Parquet file of a dataset
PART_GLOB = "part-*.parquet"
_PACKED = ("form_terms_", "reuse_")  # columns of the index's own packing (Parquet only)
ROW_VERSION = 2  # bumped when a column changes meaning; kept in the dataset's metadata


class MissingExtra(StatementsError):
    """An optional package the command needs is not installed."""


def optional(module: str):
    """Imports a package of the [cluster] extra, or says how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"this needs the optional package {module.split('.')[0]}: install the "
            f"[{EXTRA}] extra (pip install -e '.[{EXTRA}]')") from None


# --- tokens -------------------------------------------------------------------------------


def tokens_of(postings: dict[str, list[tuple[int, int, int]]]) -> list[dict]:
    """An analyser's term postings → its tokens in text order, each with its
    form (as written, folded), its lemmas or stem, position and offsets."""
    at: dict[tuple[int, int, int], list[str]] = {}
    for term, occurrences in postings.items():
        for occurrence in occurrences:
            at.setdefault(occurrence, []).append(term)
    tokens = []
    for (position, start, end), terms in sorted(at.items(), key=lambda x: (x[0][1], -x[0][2])):
        form = next(t for t in terms if t.startswith(EXACT))[len(EXACT):]
        tokens.append({"form": form, "lemmas": [t for t in terms if not t.startswith(EXACT)],
                       "position": position, "start": start, "end": end})
    return tokens


def postings_of(tokens: list[dict]) -> dict[str, list[tuple[int, int, int]]]:
    """Tokens → the term postings they came from (the inverse of `tokens_of`)."""
    postings: dict[str, list[tuple[int, int, int]]] = {}
    for token in tokens:
        occurrence = (token["position"], token["start"], token["end"])
        for term in (*token["lemmas"], EXACT + token["form"]):
            postings.setdefault(term, []).append(occurrence)
    return postings


def analyse(schema, fieldname: str, text: str) -> list[dict]:
    """The tokens of a text as the schema's field analyses it for the index."""
    return tokens_of(schema[fieldname].analyzer.term_postings(text, title=fieldname == S.TITLE))


class AnalysedText(str):
    """A field's text with its term postings already made: the field's analyser
    takes them as they are (search.lang.analysis.LanguageAnalyzer) instead of analysing it."""

    postings: dict

    def __new__(cls, text: str, postings: dict):
        made = super().__new__(cls, text)
        made.postings = postings
        return made


# --- the table --------------------------------------------------------------------------------


def arrow_schema():
    """The columns of the analysed corpus (see docs/research-views.md)."""
    pa = optional("pyarrow")
    token = pa.struct([("form", pa.string()), ("lemmas", pa.list_(pa.string())),
                       ("position", pa.int32()), ("start", pa.int32()), ("end", pa.int32())])
    columns = [
        ("id", pa.string()), ("group", pa.string()), ("hash", pa.string()),
        ("sources", pa.list_(pa.string())), ("title", pa.string()), ("title_indexed", pa.bool_()),
        ("title_tokens", pa.list_(token)), ("date", pa.string()), ("datekey", pa.int64()),
        ("docno", pa.string()), ("langs", pa.list_(pa.string())), ("url", pa.string()),
        ("collection", pa.string()), ("metadata", pa.string()), ("facets", pa.string()),
        ("numbers", pa.list_(pa.int64())), ("mentioned_years", pa.list_(pa.int64())),
        ("resolutions", pa.list_(pa.string())), ("mentions", pa.list_(pa.string())),
    ]
    for lang in LANGUAGES:
        columns += [(f"text_{lang}", pa.string()), (f"tokens_{lang}", pa.list_(token)),
                    (f"form_terms_{lang}", pa.binary()), (f"reuse_{lang}", pa.binary())]
    return pa.schema(columns, metadata={"analysed_corpus_version": str(ROW_VERSION),
                                        "schema_version": str(S.SCHEMA_VERSION)})


def table(rows: list[dict]):
    pa = optional("pyarrow")
    return pa.Table.from_pylist(rows, schema=arrow_schema())


class DatasetWriter:
    """Writes rows, as they come, into a dataset folder of Parquet files of PART_ROWS
    rows each; rows waiting for their file are kept as Arrow tables (a long
    statement's tokens as Python objects would take a hundred times the memory)."""

    def __init__(self, folder: Path):
        self.pa, self.pq = optional("pyarrow"), optional("pyarrow.parquet")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tables, self.waiting, self.parts, self.written = [], 0, 0, 0

    def add(self, rows: list[dict]) -> None:
        if rows:
            self.tables.append(table(rows))
        self.waiting += len(rows)
        self.written += len(rows)
        if self.waiting >= PART_ROWS:
            self._flush()

    def _flush(self) -> None:
        whole = self.pa.concat_tables(self.tables) if self.tables else table([])
        self.pq.write_table(whole, self.folder / f"part-{self.parts:05d}.parquet",
                            compression="zstd")
        self.tables, self.waiting, self.parts = [], 0, self.parts + 1

    def close(self) -> None:
        if self.waiting or not self.parts:  # (an empty corpus: one empty file, with the columns)
            self._flush()


def dataset_files(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob(PART_GLOB))


def read_rows(folder: Path, columns=None) -> list[dict]:
    """Every row of a dataset, in id order."""
    pq = optional("pyarrow.parquet")
    rows = []
    for path in dataset_files(folder):
        rows.extend(pq.read_table(path, columns=columns).to_pylist())
    return rows


def write_lines(rows, out) -> int:
    """Rows as JSON Lines (form-terms and reuse bytes left out: they are the index's own packing)."""
    n = 0
    for row in rows:
        shown = {k: v for k, v in row.items() if not k.startswith(_PACKED)}
        for key in ("metadata", "facets"):
            shown[key] = json.loads(shown[key]) if shown.get(key) else {}
        out.write(json.dumps(shown, ensure_ascii=False) + "\n")
        n += 1
    return n
