"""Everything an index holds, keyed by statement id rather than document
number, for comparing two builds of one corpus: every term's postings (weight,
positions, character offsets as Whoosh encodes them), field lengths, stored
fields, columns and the vocabulary's words."""

from __future__ import annotations

import hashlib
from pathlib import Path

from search import schema as S
from search.exec import storage


def index_contents(index_dir: Path) -> dict[str, object]:
    """The contents of the statements index and its vocabulary in `index_dir`."""
    ix, vocabulary = storage.open_indexes(str(index_dir))
    try:
        with ix.reader() as reader:
            docs = list(reader.all_doc_ids())
            ids = {docnum: reader.stored_fields(docnum)[S.ID] for docnum in docs}
            postings = {}
            for fieldname, term in reader.all_terms():
                matcher = reader.postings(fieldname, term)
                found = []
                while matcher.is_active():
                    found.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                    matcher.next()
                postings[(fieldname, term)] = sorted(found)
            indexed = [name for name in ix.schema.names() if ix.schema[name].scorable]
            columns = [name for name in ix.schema.names() if ix.schema[name].column_type]
            readers = {name: reader.column_reader(name) for name in columns if reader.has_column(name)}
            documents = {}
            for docnum in docs:
                documents[ids[docnum]] = {
                    "stored": reader.stored_fields(docnum),
                    "lengths": {name: reader.doc_field_length(docnum, name) for name in indexed},
                    "columns": {name: column[docnum] for name, column in readers.items()},
                }
        with vocabulary.reader() as reader:
            words = storage.vocabulary_words(reader)
    finally:
        ix.close()
        vocabulary.close()
    return {"postings": postings, "documents": documents, "words": words}


def digest(contents: dict[str, object]) -> dict[str, str]:
    """A short fingerprint of each part of `index_contents`, for large indexes."""
    parts = {
        "postings": sorted(contents["postings"].items()),
        "documents": sorted(contents["documents"].items()),
        "words": contents["words"],
    }
    return {name: hashlib.sha256(repr(value).encode()).hexdigest()[:16] for name, value in parts.items()}
