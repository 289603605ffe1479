"""Corpus-wide counts as Dask jobs over the analysed corpus (search/analysed.py), for
corpora past one machine: a word's trend over all statements, and the key terms
of a whole collection.

Each Parquet file of the dataset is one task, which counts what it holds; the
counts are summed, and the numbers are those of the single-machine views
(search/views/trend.py and keyterms.py, whose period and ranking code they use)
on the same corpus. With no Dask client the jobs run on Dask's local threads.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from search import schema as S
from search.analysed import dataset_files, optional
from search.lang.analysis import query_positions
from search.errors import InvalidInput
from search.lang.table import LANGUAGES
from search.views.keyterms import DEFAULT_LIMIT, LanguageKeyTerms, ranked
from search.views.trend import PERIODS, period_numbers, period_of

_FIELDS = {"title_tokens": S.TITLE, **{f"tokens_{lang}": S.BODY[lang] for lang in LANGUAGES}}


def _run(task, files: list[Path], client, *args) -> list:
    """`task(file, *args)` for each file of the dataset, as one Dask job."""
    dask = optional("dask")
    tasks = [dask.delayed(task, pure=True)(str(path), *args) for path in files]
    if client is not None:
        return client.gather(client.compute(tasks))
    return list(dask.compute(*tasks, scheduler="threads"))


def _files(dataset: Path) -> list[Path]:
    files = dataset_files(dataset)
    if not files:
        raise InvalidInput(f"{dataset} holds no analysed corpus (part-*.parquet files)")
    return files


# --- trend ------------------------------------------------------------------------------------


def word_terms(word: str) -> dict[str, set[str]]:
    """Each token column → the terms a search for `word` finds in its field."""
    schema = S.build_schema()
    found = {}
    for column, fieldname in _FIELDS.items():
        positions = query_positions(schema[fieldname].analyzer, word)
        if len(positions) > 1:
            raise InvalidInput(f"{word!r}: give one word (the trend over the corpus counts one)")
        found[column] = set(positions[0]) if positions else set()
    return found


def _lemmas(tokens):
    """A tokens column (a list of token structs per row) → every lemma, and the row
    each comes from: two flat Arrow arrays, so a part is counted without making a
    Python object per token."""
    pc = optional("pyarrow.compute")
    tokens = tokens.combine_chunks()
    token_rows = pc.list_parent_indices(tokens)
    lemmas = pc.struct_field(pc.list_flatten(tokens), "lemmas")
    return pc.list_flatten(lemmas), token_rows.take(pc.list_parent_indices(lemmas))


def _trend_part(path: str, period: str, terms: dict[str, set[str]] | None):
    pa, pc, pq = optional("pyarrow"), optional("pyarrow.compute"), optional("pyarrow.parquet")
    part = pq.read_table(path, columns=["datekey", *(terms or ())])
    numbers, valid = period_numbers(part.column("datekey").to_numpy().astype(np.int64), period)
    totals = Counter(numbers[valid].tolist())
    if terms is None:
        return totals, Counter()
    found = np.zeros(len(numbers), dtype=bool)
    for column, wanted in terms.items():
        if wanted:
            lemmas, rows = _lemmas(part.column(column))
            hit = pc.is_in(lemmas, value_set=pa.array(sorted(wanted), pa.string()))
            found[rows.filter(hit).to_numpy()] = True
    return totals, Counter(numbers[valid & found].tolist())


def trend(dataset: Path, word: str | None = None, period: str = "year", client=None) -> list[dict]:
    """Statements per period over the whole corpus (each dated precisely enough),
    and those a search for `word` finds: [{period, count, total}], in time order."""
    if period not in PERIODS:
        raise InvalidInput(f"period must be one of {', '.join(PERIODS)}")
    terms = word_terms(word) if word else None
    totals, counts = Counter(), Counter()
    for part_totals, part_counts in _run(_trend_part, _files(dataset), client, period, terms):
        totals.update(part_totals)
        counts.update(part_counts)
    return [{"period": period_of(n, period).key, "count": counts[n] if word else None,
             "total": totals[n]} for n in sorted(totals)]


# --- key terms of a collection --------------------------------------------------------------


def _value_counts(values) -> Counter:
    pc = optional("pyarrow.compute")
    counted = pc.value_counts(values)
    return Counter(dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist())))


def _keyterms_part(path: str, collection: str):
    """Per language: the collection's term counts, its (term, spelling) counts, and
    the whole part's term counts."""
    pc, pq = optional("pyarrow.compute"), optional("pyarrow.parquet")
    columns = ["collection", *(f"{c}_{lang}" for lang in LANGUAGES for c in ("tokens", "text"))]
    part = pq.read_table(path, columns=columns)
    mine = pc.fill_null(pc.equal(part.column("collection"), collection), False)
    own = part.filter(mine).to_pydict()  # (the collection's rows only, for the spellings)
    mine = mine.to_numpy(zero_copy_only=False)
    found = {}
    for lang in LANGUAGES:
        lemmas, rows = _lemmas(part.column(f"tokens_{lang}"))
        corpus = _value_counts(lemmas)
        counts = _value_counts(lemmas.filter(mine[rows.to_numpy()]))
        spellings = Counter()
        for tokens, text in zip(own[f"tokens_{lang}"], own[f"text_{lang}"]):
            for token in tokens:
                written = text[token["start"]:token["end"]]
                spellings.update((lemma, written) for lemma in token["lemmas"])
        found[lang] = (counts, spellings, corpus)
    return found


def collection_keyterms(dataset: Path, collection: str, limit: int = DEFAULT_LIMIT,
                        client=None) -> list[LanguageKeyTerms]:
    """The key terms of a whole collection against the whole corpus, per language,
    as the key-terms view gives them for the collection's filter alone."""
    summed = {lang: (Counter(), Counter(), Counter()) for lang in LANGUAGES}
    for part in _run(_keyterms_part, _files(dataset), client, collection):
        for lang, counters in part.items():
            for total, counter in zip(summed[lang], counters):
                total.update(counter)
    languages = []
    for lang, (counts, spellings, corpus) in summed.items():
        found = ranked(lang, counts, spellings, corpus.__getitem__, sum(corpus.values()), limit)
        if found is not None:
            languages.append(found)
    return languages
