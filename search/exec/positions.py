"""What a query reads from each statement's word positions, in one segment:
where a phrase's words follow one another, and how often an entity is
mentioned (search.exec.arrays asks, for the statements its arrays leave)."""

from __future__ import annotations

import numpy as np

from search.exec import concept as C
from search.exec.postings import PostingsCache, raw_matcher
from search.exec.distinct import distinct


def adjacent_docs(reader, terms, candidates: list[int], bytes_of) -> list[int]:
    """The candidates (local docnums, ascending) where the positions follow one
    another; `terms`: (field, alternative terms) per position; `bytes_of(field, term)`."""
    positions = []  # per phrase position: a matcher per term present in the segment
    for fieldname, texts in terms:
        ms = []
        for text in texts:
            btext = bytes_of(fieldname, text)
            if btext is not None and (fieldname, btext) in reader:
                ms.append(raw_matcher(reader, fieldname, btext))
        positions.append(ms)
    found = []
    for doc in candidates:
        starts = None
        for offset, ms in enumerate(positions):
            here = set()
            for m in ms:
                if m.is_active() and m.id() < doc:
                    m.skip_to(doc)
                if m.is_active() and m.id() == doc:
                    here.update(p - offset for p in m.value_as("positions"))
            starts = here if starts is None else starts & here
            if not starts:
                break
        if starts:
            found.append(doc)
    return found


def concept_counts(reader, fieldname: str, forms, schema, cache: PostingsCache, bytes_of) -> np.ndarray:
    """[local docnums, mentions] of one field in one segment (deleted statements
    included). A statement that holds one of the terms only has a mention for
    each occurrence (its posting's weight) when the term is a form of one word,
    and none otherwise; the others are counted from their positions."""
    boost = C.field_boost(schema, fieldname)
    single = {t for form in forms if len(form) == 1 for t in form[0]}
    parts = []
    for term in sorted({t for form in forms for p in form for t in p}):
        btext = bytes_of(fieldname, term)
        if btext is None:
            continue
        p = cache.postings(reader, fieldname, btext)
        if len(p.docs):
            parts.append((term, btext, p))
    if not parts:
        return np.zeros((2, 0), dtype=np.int64)
    docs, present = distinct(np.concatenate([p.docs for _, _, p in parts]), counts=True)
    counts = np.zeros(len(docs), dtype=np.int64)
    alone = present == 1
    for term, _, p in parts:
        if term in single:
            at = np.searchsorted(docs, p.docs)
            only = alone[at]
            counts[at[only]] = np.rint(p.weights[only] / boost).astype(np.int64)
    rest = np.flatnonzero(~alone)
    if len(rest):
        matchers = {term: raw_matcher(reader, fieldname, btext) for term, btext, _ in parts}
        for i in rest.tolist():
            doc, found = int(docs[i]), {}
            for term, m in matchers.items():
                if m.is_active() and m.id() < doc:
                    m.skip_to(doc)
                if m.is_active() and m.id() == doc:
                    found[term] = m.value_as("positions")
            counts[i] = C.mentions(forms, found)
    keep = counts > 0
    return np.stack([docs[keep].astype(np.int64), counts[keep]])
