"""Bad input is reported, never fatal: each case names the file (and the line or
field), the rest of the corpus is indexed, and nothing odd reaches the index."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import zipfile
import zlib
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.query import NumericRange

from indexer.build import update_index
from search import schema as S
from tests.corpus_tools import stored

NESTED = "[" * 1000 + "]" * 1000
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def put(root: Path, rel: str, data) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def run(tmp_path, files: dict, **kwargs):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    put(corpus, "good.txt", "A good statement\n\nThe ministry welcomes the agreement.")
    for rel, data in files.items():
        put(corpus, rel, data)
    index = tmp_path / "index"
    summary = update_index(corpus, index, **kwargs)
    return summary, stored(index), index


def reasons(items) -> dict[str, str]:
    return {p.path: p.reason for p in items}


def test_deeply_nested_json_is_reported_with_its_line_and_the_run_goes_on(tmp_path):
    summary, docs, _ = run(tmp_path, {
        "deep.json": NESTED,
        "lines.jsonl": '{"id": "a", "text": "First record about fisheries."}\n' + NESTED + "\n",
        "sided.txt": "Sided statement\n\nText.",
        "sided.meta.json": NESTED,
    })
    problems = reasons(summary.problems)
    assert problems.keys() == {"deep.json", "lines.jsonl:2", "sided.txt"}
    assert re.search(r"nested deeper than \d+ levels at line 1", problems["deep.json"])
    assert "nested deeper" in problems["lines.jsonl:2"]
    assert "sided.meta.json" in problems["sided.txt"] and "nested deeper" in problems["sided.txt"]
    assert set(docs) == {"good.txt", "lines.jsonl#a"}


def _deep_docx(levels: int) -> bytes:
    """A .docx whose body nests `levels` elements inside one another (Word nests a few dozen)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (f'<w:document xmlns:w="{w}"><w:body>' + "<w:sdt>" * levels
            + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + "</w:sdt>" * levels + "</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", body)
    return out.getvalue()


def test_a_docx_nested_too_deep_is_one_reported_failure(tmp_path):
    summary, docs, _ = run(tmp_path, {"deep.docx": _deep_docx(1100), "shallow.docx": _deep_docx(30)})
    problems = reasons(summary.problems)
    assert problems.keys() == {"deep.docx"} and "nested too deep" in problems["deep.docx"]
    assert set(docs) == {"good.txt", "shallow.docx"}


def test_a_docx_that_unpacks_far_beyond_its_size_is_refused_before_it_is_parsed(tmp_path):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = f'<w:document xmlns:w="{w}"><w:body>' + "<w:p/>" * 4_000_000 + "</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", body)  # 24 MB of XML in some 50 KB
    summary, docs, _ = run(tmp_path, {"bomb.docx": out.getvalue()})
    assert "compression bomb" in reasons(summary.problems)["bomb.docx"]
    assert set(docs) == {"good.txt"}


def _bomb_pdf(inflated_mb: int, refs: int) -> bytes:
    """A PDF of some 60 KB whose one page draws `refs` times on one content
    stream of `inflated_mb` MB of spaces (zlib packs them a thousand to one)."""
    packed = zlib.compress(b" " * (inflated_mb * 1024 * 1024), 9)
    contents = b"[" + b" ".join(b"5 0 R" for _ in range(refs)) + b"]"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents + b" >>",
               b"<< >>", b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_that_asks_for_gigabytes_is_one_reported_failure(tmp_path):
    """Its page would take 3 GB to read (48 x 64 MB); the reader's child process
    dies at its ceiling, the indexer itself stays small, and the rest is indexed."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB
    summary, docs, _ = run(tmp_path, {"bomb.pdf": _bomb_pdf(64, 48)})
    assert "needs more than 2,048 MB of memory to read" in reasons(summary.problems)["bomb.pdf"]
    assert set(docs) == {"good.txt"}
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 1024 * 1024  # (grew by under 1 GB)


def test_an_integer_facet_beyond_64_bits_is_left_out_with_a_warning(tmp_path):
    summary, docs, index = run(tmp_path, {
        "statements.toml": '[[facet]]\nname = "session"\nkind = "integer"\nmulti = true\n',
        "big.txt": "Big\n\nText.", "big.meta.json": json.dumps({"session": 2**63}),
        "small.txt": "Small\n\nText.", "small.meta.json": json.dumps({"session": -(2**63)}),
        "odd.txt": "Odd\n\nText.", "odd.meta.json": json.dumps({"session": ["\u00b2", "12", "1e3"]}),
    })
    assert summary.problems == [] and set(docs) == {"good.txt", "big.txt", "small.txt", "odd.txt"}
    warned = reasons(summary.warnings)
    assert "big.txt" in warned and "integer facet" in warned["big.txt"]
    assert "small.txt" not in warned and "odd.txt" in warned
    field = S.DECLARED_PREFIX["integer"] + "session"
    with whoosh_index.open_dir(str(index)).searcher() as searcher:
        found = {lo: {searcher.stored_fields(n)[S.ID] for n in searcher.docs_for_query(
            NumericRange(field, lo, hi))} for lo, hi in ((-(2**63), -(2**63)), (12, 12), (None, None))}
    assert found == {-(2**63): {"small.txt"}, 12: {"odd.txt"}, None: {"small.txt", "odd.txt"}}


def test_sidecars_are_read_only_from_regular_files_inside_the_corpus(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    put(outside, "secret.json", json.dumps({"issuer": "SECRET"}))
    corpus = tmp_path / "corpus"
    for folder in ("linked", "fifo", "device", "kept"):
        put(corpus, f"{folder}/a.txt", f"Statement {folder}\n\nText.")
    (corpus / "linked" / "a.meta.json").symlink_to(outside / "secret.json")
    (corpus / "linked" / "_collection.json").symlink_to(outside / "secret.json")
    os.mkfifo(corpus / "fifo" / "a.meta.json")
    (corpus / "device" / "a.meta.json").symlink_to("/dev/zero")
    put(corpus, "kept/a.meta.json", json.dumps({"issuer": "Ministry"}))
    (corpus / "kept" / "inside.meta.json").symlink_to(corpus / "kept" / "a.meta.json")
    put(corpus, "kept/inside.txt", "Linked inside\n\nText.")
    summary = update_index(corpus, tmp_path / "index")
    problems = reasons(summary.problems)
    assert problems.keys() == {"linked/a.txt", "linked/_collection.json", "fifo/a.txt", "device/a.txt"}
    assert "a.meta.json: symbolic link to a file outside the corpus" in problems["linked/a.txt"]
    assert "outside the corpus" in problems["linked/_collection.json"]
    assert "a.meta.json: not a regular file" in problems["fifo/a.txt"]
    assert "a.meta.json" in problems["device/a.txt"]
    docs = stored(tmp_path / "index")
    assert set(docs) == {"kept/a.txt", "kept/inside.txt"}
    assert "SECRET" not in str(docs) and docs["kept/inside.txt"][S.METADATA]["issuer"] == "Ministry"


def test_a_long_metadata_value_is_cut_at_a_word_with_a_warning(tmp_path):
    long_words = "word " * 300_000  # 1.5 million characters
    summary, docs, _ = run(tmp_path, {
        "long.txt": "Long\n\nText.",
        "long.meta.json": json.dumps({"title": long_words, "speaker": long_words,
                                      "topics": ["short", long_words], "url": "https://a.org/" + "x" * 3000}),
    })
    assert summary.problems == []
    meta = docs["long.txt"][S.METADATA]
    assert len(docs["long.txt"][S.TITLE]) <= 1001 and docs["long.txt"][S.TITLE].endswith("word…")
    assert len(meta["speaker"]) <= 1001 and meta["topics"][0] == "short" and len(meta["topics"][1]) <= 1001
    assert "url" not in meta and S.URL not in docs["long.txt"]
    warned = [p.reason for p in summary.warnings if p.path == "long.txt"]
    assert sum("longer than 1,000 characters: cut" in w for w in warned) == 3  # title, speaker, topics
    assert any('"url"' in w and "longer than 2,000" in w for w in warned)


def test_invalid_json_says_where_once(tmp_path):
    summary, _, _ = run(tmp_path, {"cut.json": '{"text": "abc', "cut.jsonl": '{"text": "abc\n'})
    problems = reasons(summary.problems)
    assert problems["cut.json"].endswith("Unterminated string starting at line 1, column 10")
    assert problems["cut.jsonl:1"].endswith("Unterminated string starting at column 10")


def test_a_file_named_like_a_translation_pair_is_a_collision_not_a_merge(tmp_path):
    summary, docs, _ = run(tmp_path, {
        "a.txt": "Single statement\n\nAlone.",
        "a.en.txt": "English statement\n\nIn English.",
        "a.ru.txt": "Русское заявление\n\nПо-русски.",
    })
    problems = reasons(summary.problems)
    assert "collide" in problems["a.txt"]
    assert all(name in problems["a.txt"] for name in ("a.en.txt", "a.ru.txt"))
    assert set(docs) == {"good.txt"}


def test_language_infixes_in_any_letter_case_pair(tmp_path):
    summary, docs, _ = run(tmp_path, {
        "c.EN.TXT": "Statement on fisheries\n\nThe ministry welcomes the fisheries agreement.",
        "c.ru.txt": "Заявление о рыболовстве\n\nМинистерство приветствует соглашение.",
    })
    assert summary.problems == []
    assert docs["c.txt"][S.LANG] == "en ru"
    assert docs["c.txt"][S.SOURCES] == ["c.EN.TXT", "c.ru.txt"]


@pytest.mark.parametrize("text, encoding, uncertain", [
    ("Élysée", "latin-1", True),
    ("Le président à l'Élysée", "latin-1", True),
    ("Выборы", "koi8_r", True),
    ("Выборы прошли спокойно", "koi8_r", True),
    ("Заявление Министерства иностранных дел о выборах в парламент. Ёлка у Кремля.", "koi8_r", False),
    ("Заявление Министерства иностранных дел о выборах в парламент. Ёлка у Кремля.", "cp1251", False),
])
def test_legacy_encodings_are_not_guessed_from_a_few_letters(tmp_path, text, encoding, uncertain):
    summary, docs, _ = run(tmp_path, {"legacy.txt": text.encode(encoding)})
    assert summary.problems == []
    assert docs["legacy.txt"][S.TITLE] == text
    notes = [w.reason for w in summary.warnings if w.path == "legacy.txt"]
    assert bool(notes) == uncertain
    assert all(re.fullmatch(r"decoded as [\w-]+, uncertain", n) for n in notes)


def test_utf16_without_a_byte_order_mark(tmp_path):
    text = "Заявление о выборах\n\nМинистерство иностранных дел заявляет о выборах."
    summary, docs, _ = run(tmp_path, {"le.txt": text.encode("utf-16-le"),
                                      "be.txt": text.encode("utf-16-be")})
    assert summary.problems == []
    assert docs["le.txt"][S.TITLE] == docs["be.txt"][S.TITLE] == "Заявление о выборах"


def test_json_fields_of_the_wrong_type_are_dropped_with_a_warning_naming_them(tmp_path):
    record = {"id": True, "title": ["a", "b"], "number": {"x": 1}, "text": "Statement on fisheries."}
    summary, docs, _ = run(tmp_path, {"r.jsonl": json.dumps(record) + "\n",
                                      "s.txt": "Sided\n\nText.", "s.meta.json": '{"title": 5}'})
    assert summary.problems == []
    assert set(docs) == {"good.txt", "r.jsonl#1", "s.txt"}
    doc = docs["r.jsonl#1"]
    assert "[" not in doc[S.TITLE] and S.DOCNO not in doc
    warned = " | ".join(w.reason for w in summary.warnings)
    for field in ('"title"', '"number"', '"id"'):
        assert field in warned, warned
    assert docs["s.txt"][S.TITLE] == "Sided"


def test_control_characters_never_reach_a_title_or_field(tmp_path):
    osc = "\x1b]0;owned\x07"
    summary, docs, _ = run(tmp_path, {
        "r.jsonl": json.dumps({"title": f"{osc}Record title", "number": "1\x9d/2", "text": "Text."}) + "\n",
        "s.txt": "Sided\n\nText.",
        "s.meta.json": json.dumps({"title": f"Sidecar{osc} title"}),
        "f.md": f"---\ntitle: Front{osc} matter\n---\nText.",
        "b.txt": f"Body\x1b[31m title\x9b\n\nText{osc}.",
    })
    assert summary.problems == []
    for doc in docs.values():
        for field in (S.TITLE, S.DOCNO, S.BODY["en"]):
            assert not CONTROLS.search((doc.get(field) or "").replace("\n", "")), (doc[S.ID], field)
    assert docs["r.jsonl#1"][S.TITLE] == "]0;ownedRecord title"
    assert docs["r.jsonl#1"][S.DOCNO] == "1/2"
    assert docs["s.txt"][S.TITLE] == "Sidecar]0;owned title"
    assert docs["f.md"][S.TITLE] == "Front]0;owned matter"
    assert docs["b.txt"][S.TITLE] == "Body[31m title"


def test_ids_a_link_cannot_carry_are_refused_with_the_reason(tmp_path):
    summary, docs, _ = run(tmp_path, {
        "bad\nname.txt": "Odd name\n\nText.",
        "r.jsonl": json.dumps({"id": "a\nb", "text": "Record."}) + "\n"
                   + json.dumps({"id": "../up", "text": "Other record."}) + "\n",
    })
    problems = reasons(summary.problems)
    assert problems.keys() == {"bad\\nname.txt"}
    assert "U+000A" in problems["bad\\nname.txt"] and "rename" in problems["bad\\nname.txt"]
    assert set(docs) == {"good.txt", "r.jsonl#1", "r.jsonl#2"}
    warned = [w.reason for w in summary.warnings]
    assert any("U+000A" in w for w in warned) and any('".."' in w for w in warned)


def test_a_huge_statement_is_indexed_up_to_the_limit_with_a_warning(tmp_path):
    words = "The assembly debated sustainable development and climate finance. "
    big = "Long statement\n\n" + words * (3 * 1024 * 1024 // len(words)) + "Zanzibarquokka."
    summary, docs, index = run(tmp_path, {"big.txt": big}, max_statement_size=1024 * 1024)
    assert summary.problems == []
    notes = [w.reason for w in summary.warnings if w.path == "big.txt"]
    assert notes == ["indexed the first 1 MB of 3.0 MB of text"]
    body = docs["big.txt"][S.BODY["en"]]
    assert len(body.encode("utf-8")) <= 1024 * 1024
    assert big.startswith("Long statement\n\n" + body.split("\n\n", 1)[-1][:100])
    assert body.endswith(("assembly", "debated", "sustainable", "development", "and", "climate",
                          "finance.", "The"))  # cut between words
    assert "Zanzibarquokka" not in body
