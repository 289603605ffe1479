"""`python -m search export`: an index's statements as the analysed corpus (a
Parquet dataset or JSON Lines), each language's text with its tokens, lemmas
and character offsets, for research in R or Python.

The rows are search/analysed.py's, the same columns the indexer's workers write;
the tokens come from analysing each text again with the index's own analysers.
A query or filters narrow it to the statements that search finds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

from search import declared as D
from search import schema as S
from search.exec import storage
from search.analysed import DatasetWriter, analyse, write_lines
from search.errors import InvalidInput
from search.lang.table import LANGUAGES
from search.exec.texts import decode

FORMATS = ("parquet", "jsonl")
_COLUMNS = (S.GROUP, S.HASH, S.DATEKEY, S.MENTIONS_COL, S.DECLARED_COL, *S.TEXT.values(),
            *S.FORM_TERMS.values(), *S.REUSE.values())


def found_ids(index_dir: Path, query: str = "", filters=None) -> set[str] | None:
    """The ids of the statements a search finds (None: no query and no filter, every
    statement), as `python -m search --as-typed` finds them: a script gets what it typed."""
    from search.engine import SearchIndex

    if not query.strip() and not filters:
        return None
    with SearchIndex(index_dir) as index:
        return {hit.id for hit in index.hits(query, filters, sort="date", autocorrect=False)}


def rows(index_dir: Path, ids: set[str] | None = None) -> Iterator[dict]:
    """The analysed-corpus row of each statement of the index (of those `ids`
    name, when given), in the indexer's order."""
    ix, vocabulary = storage.open_indexes(str(index_dir))
    vocabulary.close()
    kinds = {f.name: f.kind for f in (D.read(index_dir) or ())}
    try:
        with ix.reader() as reader:
            columns = {name: storage.read_column(reader, name) for name in _COLUMNS}
            # (the indexer's order: by group, then as the group gave them)
            order = sorted(reader.all_doc_ids(), key=lambda d: (columns[S.GROUP][d], d))
            for docnum in order:
                stored = reader.stored_fields(docnum)
                if ids is not None and stored[S.ID] not in ids:
                    continue
                indexed = reader.doc_field_length(docnum, S.TITLE, 0) > 0
                yield _row(ix.schema, stored,
                           {k: v[docnum] for k, v in columns.items()}, indexed, kinds)
    finally:
        ix.close()


def _row(schema, stored: dict, column: dict, title_indexed: bool, kinds: dict) -> dict:
    metadata = stored.get(S.METADATA) or {}
    facets: dict[str, list] = {}
    for packed in S.unpack_strings(column[S.DECLARED_COL]):
        name, value = packed.split(S.DECLARED_SEP, 1)
        facets.setdefault(name, []).append(int(value) if kinds.get(name) == "integer" else value)
    title = stored.get(S.TITLE) or ""
    row = {
        "id": stored[S.ID], "group": column[S.GROUP], "hash": column[S.HASH],
        "sources": list(stored.get(S.SOURCES) or ()), "title": title,
        "title_indexed": title_indexed,
        "title_tokens": analyse(schema, S.TITLE, title) if title_indexed else [],
        "date": stored.get(S.DATE), "datekey": column[S.DATEKEY], "docno": stored.get(S.DOCNO),
        "langs": (stored.get(S.LANG) or "").split(), "url": stored.get(S.URL),
        "collection": metadata.get("collection"),
        "metadata": json.dumps(metadata, ensure_ascii=False) if metadata else None,
        "facets": (json.dumps({k: sorted(v) for k, v in facets.items()}, ensure_ascii=False,
                              sort_keys=True) if facets else None),
        "numbers": list(stored.get(S.NUMBERS) or ()),
        "mentioned_years": list(stored.get(S.MENTIONED_YEARS) or ()),
        "resolutions": list(stored.get(S.RESOLUTIONS) or ()),
        "mentions": S.unpack_strings(column[S.MENTIONS_COL]),
    }
    for lang in LANGUAGES:
        text = decode(column[S.TEXT[lang]]) or None
        row[f"text_{lang}"] = text
        row[f"tokens_{lang}"] = analyse(schema, S.BODY[lang], text) if text else []
        row[f"form_terms_{lang}"] = column[S.FORM_TERMS[lang]]
        row[f"reuse_{lang}"] = column[S.REUSE[lang]]
    return row


def export(index_dir: Path, fmt: str, output: str, query: str = "", filters=None) -> int:
    """Writes the index's analysed corpus, or the part a search for `query` with
    `filters` finds: `parquet`, a dataset folder of Parquet files; `jsonl`, a file
    ("-": standard output). Returns the statements written."""
    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}")
    ids = found_ids(index_dir, query, filters)
    if fmt == "jsonl":
        if output == "-":
            return write_lines(rows(index_dir, ids), sys.stdout)
        with open(output, "w", encoding="utf-8") as out:
            return write_lines(rows(index_dir, ids), out)
    folder = Path(output)
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInput(f"{folder} is not empty: give a new or empty folder for the dataset")
    out = DatasetWriter(folder)
    for row in rows(index_dir, ids):
        out.add([row])
    out.close()
    return out.written
