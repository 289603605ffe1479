"""The indexer's fast paths write exactly what Whoosh's own would: the fused
analysis (`term_postings`, `term_positions`) against the token chain, the
postings pool's marshal runs against the postings read back, the column of
form terms worked out once per form against one worked out afresh, and two
processes against one. Built on a slice of the shipped corpus."""

from __future__ import annotations

import shutil
from array import array
from pathlib import Path

import pytest
from whoosh import formats
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer import writers
from indexer.build import update_index
from search.views import formterms
from search import schema as S
from search.exec import storage
from search.lang.analysis import WORD_RE
from search.exec.texts import decode
from tests.conftest import DATA, ROOT
from tests.index_contents import index_contents


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """Russian, Ukrainian and English statements: seed, president-ua, the test
    statements and 25 UN speeches."""
    root = tmp_path_factory.mktemp("small-corpus")
    for folder in ("seed", "president-ua"):
        shutil.copytree(ROOT / "corpus" / folder, root / folder)
    shutil.copytree(DATA / "statements", root / "tests")
    session = ROOT / "corpus" / "ungdc" / "session74_2019"
    (root / "ungdc").mkdir()
    for path in sorted(session.glob("*.txt"))[:25]:
        for part in (path, path.with_suffix(".meta.json")):
            if part.exists():
                shutil.copy(part, root / "ungdc" / part.name)
    return root


@pytest.fixture(scope="module")
def built(small_corpus, tmp_path_factory) -> Path:
    """The small corpus indexed by one process, its postings pool made small
    enough to write several sorted runs to disk and merge them."""
    where = tmp_path_factory.mktemp("one-process")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writers, "WRITER_MEMORY_MB", 1)
        summary = update_index(small_corpus, where)
    assert summary.added > 30 and not summary.problems
    return where


def _chain_postings(field, value: str):
    """(term, frequency counted in the length, weight, encoded value) of a text
    as Whoosh's own formats make them from the analyser's token chain."""
    base = formats.Characters if isinstance(field.format, formats.Characters) else formats.Positions
    for term, freq, weight, encoded in base.word_values(field.format, value, field.analyzer, mode="index"):
        yield term, 0 if term.startswith(S.EXACT) else freq, weight, encoded


def test_every_text_field_holds_what_the_token_chain_gives(built):
    contents = index_contents(built)
    schema = S.build_schema()
    ix, _ = storage.open_indexes(str(built))
    with ix.reader() as reader:
        texts = {}
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            texts[stored[S.ID]] = {S.TITLE: stored.get(S.TITLE) or ""}
            for lang in S.TEXT:
                texts[stored[S.ID]][S.BODY[lang]] = decode(reader.column_reader(S.TEXT[lang])[docnum])
    ix.close()
    expected: dict = {}
    lengths: dict = {}
    for doc_id, fields in texts.items():
        for name, value in fields.items():
            if not value:
                continue
            total = 0
            for term, freq, weight, encoded in _chain_postings(schema[name], value):
                expected.setdefault((name, term.encode()), []).append(
                    (doc_id, array("f", [weight])[0], encoded))
                total += freq
            lengths[(doc_id, name)] = total
    found = {key: postings for key, postings in contents["postings"].items()
             if key[0] in (S.TITLE, *S.BODY.values())}
    # A title that is the text's own opening words is stored, not indexed.
    indexed_titles = {doc_id for (name, _), postings in found.items() if name == S.TITLE
                      for doc_id, _, _ in postings}
    expected = {key: [p for p in postings if key[0] != S.TITLE or p[0] in indexed_titles]
                for key, postings in expected.items()}
    expected = {key: sorted(postings) for key, postings in expected.items() if postings}
    assert len(found) > 10_000 and indexed_titles
    assert found.keys() == expected.keys()
    assert found == expected
    for (doc_id, name), total in lengths.items():
        if name == S.TITLE and doc_id not in indexed_titles:
            continue
        length = contents["documents"][doc_id]["lengths"][name]
        assert length == byte_to_length(length_to_byte(total)), (doc_id, name)


def test_the_form_terms_column_holds_each_form_s_analysis(built):
    """The column, written with each form's entry remembered for the run,
    reads back as every form's terms worked out afresh in its own language."""
    contents = index_contents(built)
    checked = 0
    for document in contents["documents"].values():
        for lang in S.TEXT:
            text = decode(document["columns"][S.TEXT[lang]])
            if text:
                forms = WORD_RE.findall(text)
                expected = {form: formterms.analysed(form, lang) for form in dict.fromkeys(forms)}
                assert formterms.read(forms, document["columns"][S.FORM_TERMS[lang]]) == expected
                checked += 1
    assert checked > 30


def test_two_processes_write_what_one_does(small_corpus, built, tmp_path):
    update_index(small_corpus, tmp_path, procs=2)
    two, one = index_contents(tmp_path), index_contents(built)
    assert two["postings"].keys() == one["postings"].keys()
    assert two == one


def test_known_terms_and_offsets_of_the_seed_statement(built):
    """Each occurrence of a lemma and of an exact form in the seed statement,
    at the offsets of its words in the text."""
    contents = index_contents(built)
    seed = next(doc_id for doc_id in contents["documents"] if doc_id.startswith("seed/"))
    text = decode(contents["documents"][seed]["columns"][S.TEXT["ru"]])
    body = S.build_schema()[S.BODY["ru"]]

    def spans(term: str) -> list[str]:
        (posting,) = [p for p in contents["postings"][(S.BODY["ru"], term.encode())] if p[0] == seed]
        return [text[start:end] for _, start, end in body.format.decode_characters(posting[2])]

    assert set(spans("азербайджан")) == {"Азербайджан", "Азербайджана"}
    assert spans("=азербайджана") == ["Азербайджана"] * 9
    assert spans("=нагорно-карабахский") == ["Нагорно-Карабахский"]
