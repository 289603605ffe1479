"""A country or organisation searched as one term: all its names, in every language.

A name typed in one language also finds the entity's names in the other
(«Германия» for "Germany"). Scored as separate terms, each form would bring
its own idf and its own saturation, and a statement naming the entity once in
each of three forms would outscore one that names it twenty times in one;
weighted up so that the other language's statements reach the first page, a
passing mention outranked the entity's own speeches. Here the forms are one
term, the entity's:

* its frequency in a field is the number of mentions there: places where any
  of the forms stands (a form of several words counts once, and forms that
  overlap, «Республика Армения» and «Армения», count as one mention);
* its document frequency is the number of statements that mention it in any
  field, in any language, and its idf is the weighting's idf of that number;
* the fields combine as in BM25F: each field's mentions, times the field's
  boost, are normalised by its length (the length factors of
  search.exec.scoring), summed, and saturated once. A statement that has the same
  text in two languages is not counted twice over, and a long statement
  naming the entity once in passing scores low, in whichever language;
* a field's length is measured against the average of the statements that
  have that field (Whoosh's average counts every statement, and a language
  most statements lack looks short on average: its statements long).

For a single field this is the weighting's own term score. `Concept` runs
through Whoosh's matchers (the mentions read from positions, statement by
statement: the reference); search.exec.arrays computes the same on arrays.
"""

from __future__ import annotations

import numpy as np
from whoosh import matching
from whoosh import query as wq

from search.exec.postings import raw_matcher, segment_id
from search.exec.scoring import segment_lengths

# A form: its positions, each the alternative terms of one word (a homonym's lemmas).
Form = tuple  # tuple[tuple[str, ...], ...]


class Concept(wq.Query):
    """An entity's forms per field ({fieldname: (form, ...)}), matched and scored as one term."""

    def __init__(self, forms: dict, boost: float = 1.0):
        self.forms = {f: tuple(dict.fromkeys(tuple(tuple(p) for p in form) for form in fs))
                      for f, fs in sorted(forms.items()) if fs}
        self.boost = boost
        self._tables: tuple | None = None  # (parent searcher, per segment counts, df)

    def __eq__(self, other):
        return type(other) is type(self) and self.forms == other.forms and self.boost == other.boost

    def __hash__(self):
        return hash((type(self).__name__, tuple(self.forms.items()), self.boost))

    def __repr__(self):
        return f"{type(self).__name__}({self.forms!r}, boost={self.boost!r})"

    def __str__(self):
        parts = [f"{f}:" + "|".join(" ".join("/".join(p) for p in form) for form in fs)
                 for f, fs in self.forms.items()]
        return "CONCEPT(" + " ".join(parts) + ")" + (f"^{self.boost}" if self.boost != 1 else "")

    def is_leaf(self) -> bool:
        return True

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False):
        for fieldname, forms in self.forms.items():
            for term in sorted({t for form in forms for p in form for t in p}):
                yield fieldname, term

    def estimate_size(self, ixreader) -> int:
        return ixreader.doc_count_all()

    def matcher(self, searcher, context=None):
        """The statements of `searcher`'s segments that mention the entity, and their scores."""
        parent = searcher.get_parent()
        counts, df = self._counted(parent)
        weighting = parent.weighting
        K1 = weighting.K1
        idf = concept_idf(parent, df)
        averages = {f: average_length(parent, f, sum(int(np.count_nonzero(segment_lengths(leaf.reader(), f)))
                                                     for leaf, _ in parent.leaf_searchers()))
                    for f in self.forms if f in parent.schema}
        ids, scores = [], []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            per_field = counts[segment_id(reader)]
            tfn: dict[int, float] = {}
            for fieldname, found in per_field.items():
                factor = length_factors(parent, reader, fieldname, averages[fieldname])
                boost = field_boost(parent.schema, fieldname)
                for doc, n in found.items():
                    tfn[doc] = tfn.get(doc, 0.0) + K1 * (n * boost) / factor[doc]
            for doc in sorted(tfn):
                ids.append(doc + offset)
                scores.append(saturated(idf, tfn[doc], K1, weighting.delta) * self.boost)
        if not ids:
            return matching.NullMatcher()
        return _ScoredList(ids, scores)

    def _counted(self, parent):
        """Per segment and field, {docnum: mentions} of the live statements, and
        the number of statements with any mention (worked out once per searcher)."""
        if self._tables is not None and self._tables[0] is parent:
            return self._tables[1], self._tables[2]
        counts, mentioned = {}, 0
        for leaf, _ in parent.leaf_searchers():
            reader = leaf.reader()
            per_field = {f: reference_counts(reader, f, forms) for f, forms in self.forms.items()
                         if f in parent.schema}
            counts[segment_id(reader)] = per_field
            mentioned += len(set().union(*(found.keys() for found in per_field.values())))
        self._tables = (parent, counts, mentioned)
        return counts, mentioned


class _ScoredList(matching.ListMatcher):
    """Statement numbers with their scores, worked out beforehand."""

    def __init__(self, ids, scores, position=0):
        super().__init__(ids, weights=scores, position=position)
        self._scores = scores

    def copy(self):
        return _ScoredList(self._ids, self._scores, self._i)

    def score(self):
        return self._scores[self._i]

    def supports_block_quality(self):
        return False


def reference_counts(reader, fieldname: str, forms) -> dict[int, int]:
    """{docnum: mentions} of one field in one segment, deleted statements left out,
    from every statement's positions (the plain way: search.exec.arrays has a faster one)."""
    positions: dict[int, dict[str, list]] = {}
    field = reader.schema[fieldname]
    for term in sorted({t for form in forms for p in form for t in p}):
        btext = field.to_bytes(term)
        if (fieldname, btext) not in reader:
            continue
        m = raw_matcher(reader, fieldname, btext)
        while m.is_active():
            positions.setdefault(m.id(), {})[term] = m.value_as("positions")
            m.next()
    out = {}
    for doc, found in positions.items():
        if reader.is_deleted(doc):
            continue
        n = mentions(forms, found)
        if n:
            out[doc] = n
    return out


def mentions(forms, positions: dict) -> int:
    """How many times the forms stand in a statement whose terms are at
    `positions` ({term: positions}): each place where a form's words follow
    one another, places that overlap counted once."""
    spans = []
    for form in forms:
        starts = None
        for offset, alternatives in enumerate(form):
            here = {int(p) - offset for t in alternatives for p in positions.get(t, ())}
            starts = here if starts is None else starts & here
            if not starts:
                break
        spans.extend((s, s + len(form)) for s in starts or ())
    count, end = 0, None
    for start, stop in sorted(spans):
        if end is None or start >= end:
            count, end = count + 1, stop
        else:
            end = max(end, stop)
    return count


def concept_idf(searcher, df: int) -> float:
    """The weighting's idf for a term found in `df` statements."""
    return searcher.weighting.idf(_WithFrequency(searcher, df), None, None)


class _WithFrequency:
    """A searcher as the weighting's idf sees it, whose every term has the document frequency `df`."""

    def __init__(self, searcher, df: int):
        self._searcher, self._df = searcher, df

    def get_parent(self):
        return self

    def doc_frequency(self, fieldname, text) -> int:
        return self._df

    def __getattr__(self, name):
        return getattr(self._searcher, name)


def average_length(searcher, fieldname: str, having: int) -> float:
    """A field's average length over the `having` statements that have it."""
    return (searcher.field_length(fieldname) / having if having else 0) or 1


def length_factors(searcher, reader, fieldname: str, avgfl: float) -> np.ndarray:
    """K1 * ((1 - B) + B * length / avgfl) of every statement of a segment
    (search.exec.scoring's LengthNorms, for the weighting's B and K1)."""
    weighting = searcher.weighting
    found = weighting.norms.factors(reader, fieldname, avgfl, weighting.field_B(fieldname), weighting.K1)
    return np.frombuffer(found, dtype=np.float64)


def field_boost(schema, fieldname: str) -> float:
    """The weight a field gives each occurrence (the title's boost)."""
    return float(getattr(schema[fieldname].format, "field_boost", 1.0))


def saturated(idf: float, tfn, K1: float, delta: float):
    """BM25's saturation of a length-normalised frequency (a float or an array),
    with BM25+'s lower bound `delta` (search.exec.scoring), in the order its term scores take."""
    return idf * ((K1 + 1) * tfn / (K1 + tfn) + delta)
