"""Reading the corpus: formats, encodings, translation pairs, sidecars, odd files."""

import codecs
import json
import os

import pytest

from indexer.decode import decode, decode_text, normalize
from indexer.formats.records import MAX_NESTING, parse_json
from indexer.read import drafts, limit_text, load
from indexer.scan import scan, split_lang
from search.errors import ReadError

RUSSIAN = "Заявление Министерства иностранных дел о выборах. Ёлка."


@pytest.mark.parametrize(
    "data",
    [
        RUSSIAN.encode("utf-8"),
        codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"),
        RUSSIAN.encode("utf-16"),  # with BOM, little-endian
        codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"),
        RUSSIAN.encode("cp1251"),
        RUSSIAN.encode("koi8_r"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "cp1251", "koi8-r"],
)
def test_encodings(data):
    assert decode(data) == RUSSIAN


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "UTF-8"),
    ],
)
def test_unreadable_bytes_say_why(data, reason):
    with pytest.raises(ReadError, match=reason):
        decode(data)


def test_normalize_whitespace():
    text = "Title\r\n\r\n\r\n\r\nFirst  line\u00a0with\ttabs \r\nsecond\u200b line\r\n"
    assert normalize(text) == "Title\n\nFirst line with tabs\nsecond line"


def write(root, rel, content):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_all(root):
    found = scan(root)
    out = {}
    for key, group in found.groups.items():
        docs, problems = drafts(load(group))
        for d in docs:
            out[d.id] = d
    return found, out


def test_formats(tmp_path):
    write(tmp_path, "a.txt", "Plain title\n\nPlain text.")
    write(tmp_path, "b.md", "---\ntitle: From front matter\ndate: 2020-01-02\n---\n# Heading\n\n**Bold** and [a link](http://x).")
    write(tmp_path, "c.html", "<html><head><title>T</title><style>p{}</style><script>var x=1</script></head>"
                              "<body><h1>Visible heading</h1><p>Visible &amp; text</p><noscript>no</noscript></body></html>")
    write(tmp_path, "d.htm", "<p>Old extension</p>")
    write(tmp_path, "e.json", json.dumps([{"id": "x", "text": "First record"}, {"text": "Second record"}]))
    write(tmp_path, "f.jsonl", '{"id": 7, "text": "Line one", "title": "T1", "date": "2021-01-01", "number": "1/21", "lang": "en"}\n\n'
                               '{"text": "Line three"}\n')
    found, docs = read_all(tmp_path)
    assert sorted(docs) == ["a.txt", "b.md", "c.html", "d.htm", "e.json#2", "e.json#x", "f.jsonl#3", "f.jsonl#7"]
    assert docs["b.md"].given == {"title": "From front matter", "date": "2020-01-02"}
    assert "Bold and a link." in docs["b.md"].text and "**" not in docs["b.md"].text
    assert docs["c.html"].text == "Visible heading\n\nVisible & text"
    assert docs["c.html"].given["title"] == "Visible heading"
    assert docs["f.jsonl#7"].given == {"title": "T1", "date": "2021-01-01", "number": "1/21", "lang": "en"}


def test_translation_pair_is_one_statement(tmp_path):
    write(tmp_path, "mfa/064-20.en.txt", "Statement in English.")
    write(tmp_path, "mfa/064-20.ru.txt", "Заявление на русском.")
    write(tmp_path, "mfa/064-20.meta.json", '{"title": "Given title", "number": "064/20"}')
    found, docs = read_all(tmp_path)
    assert list(docs) == ["mfa/064-20.txt"]
    doc = docs["mfa/064-20.txt"]
    assert doc.text == "Statement in English.\n\nЗаявление на русском."
    assert doc.given == {"title": "Given title", "number": "064/20"}
    assert [f.name for f in found.groups["mfa/064-20.txt"].files] == ["064-20.en.txt", "064-20.ru.txt"]


def test_sidecar_beside_a_single_file(tmp_path):
    write(tmp_path, "speech.txt", "Text.")
    write(tmp_path, "speech.meta.json", '{"date": "2019-09-24", "unknown": "kept"}')
    _, docs = read_all(tmp_path)
    assert docs["speech.txt"].given == {"date": "2019-09-24", "unknown": "kept"}


def test_what_is_left_out(tmp_path):
    write(tmp_path, ".hidden.txt", "x")
    write(tmp_path, ".git/config.txt", "x")
    write(tmp_path, "notes.odt", b"PK\x03\x04")
    write(tmp_path, "LICENCE.txt", "licence")
    write(tmp_path, ".indexignore", "# comment\nLICENCE.txt\ndrafts/*\n")
    write(tmp_path, "drafts/wip.txt", "draft")
    write(tmp_path, "ok.txt", "fine")
    found, docs = read_all(tmp_path)
    assert list(docs) == ["ok.txt"]
    assert [(s.path, s.reason) for s in found.skipped] == [("notes.odt", "unsupported format .odt")]


def test_bad_files_are_reported_with_reasons(tmp_path):
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "big.txt", b"x" * 2048)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret")
    os.symlink(outside, tmp_path / "link-out.txt")
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    os.symlink(tmp_path, tmp_path / "dir-link")
    write(tmp_path, "good.txt", "good")
    found = scan(tmp_path, max_file_size=1024)
    reasons = {p.path: p.reason for p in found.problems}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["big.txt"].startswith("too large")
    assert "outside the corpus" in reasons["link-out.txt"]
    assert "looping" in reasons["loop.txt"]
    assert list(found.groups) == ["good.txt"]
    assert any(s.path == "dir-link" for s in found.skipped)


def test_broken_json_line_keeps_the_others(tmp_path):
    write(tmp_path, "r.jsonl", '{"id": "a", "text": "ok"}\n{"id": "b", "text": \n{"id": "c"}\n[1]\n{"id": "a", "text": "dup"}\n')
    found = scan(tmp_path)
    docs, problems = drafts(load(found.groups["r.jsonl"]))
    assert [d.id for d in docs] == ["r.jsonl#a"]
    assert [p.path for p in problems] == ["r.jsonl:2", "r.jsonl line 3", "r.jsonl line 4", "r.jsonl#a"]
    assert "invalid JSON" in problems[0].reason
    assert "text" in problems[1].reason


def test_undecodable_and_binary_text_files(tmp_path):
    write(tmp_path, "bin.txt", b"\x00\x01\x02\x03" * 100)
    found = scan(tmp_path)
    with pytest.raises(ReadError, match="binary"):
        drafts(load(found.groups["bin.txt"]))


def test_names_with_spaces_and_cyrillic(tmp_path):
    write(tmp_path, "папка с пробелами/Заявление № 5.txt", "Текст заявления.")
    _, docs = read_all(tmp_path)
    assert list(docs) == ["папка с пробелами/Заявление № 5.txt"]


@pytest.mark.parametrize(
    "text, encoding",
    [
        (RUSSIAN, "utf-16-le"),
        (RUSSIAN, "utf-16-be"),
        ("Statement of the Ministry", "utf-16-le"),
        ("Élysée", "latin-1"),
        ("Выборы", "koi8_r"),
        (RUSSIAN, "cp866"),
    ],
)
def test_encodings_without_a_mark(text, encoding):
    assert decode(text.encode(encoding)) == text


def test_a_stray_byte_in_utf8_is_not_guessed_away():
    with pytest.raises(ReadError, match=r"invalid UTF-8 at byte 3,?\d*"):
        decode(RUSSIAN.encode("utf-8") * 3 + b"\xff" + RUSSIAN.encode("utf-8"))


def test_uncertain_guesses_say_so():
    assert decode_text("Élysée".encode("latin-1")).note == "decoded as Windows-1252, uncertain"
    assert decode_text(RUSSIAN.encode("koi8_r") * 3).note is None


@pytest.mark.parametrize("name, split", [
    ("064-20.en.txt", ("064-20.txt", "en")),
    ("c.EN.TXT", ("c.txt", "en")),
    ("c.Ru.Md", ("c.md", "ru")),
    ("plain.txt", ("plain.txt", None)),
    ("en.txt", ("en.txt", None)),
])
def test_language_infix_in_any_case(name, split):
    assert split_lang(name) == split


def test_nesting_is_limited_with_the_line():
    parse_json("[" * MAX_NESTING + "]" * MAX_NESTING)
    parse_json('["' + "[" * 1000 + '"]')  # brackets in a string do not nest
    with pytest.raises(ValueError, match=f"nested deeper than {MAX_NESTING} levels at line 3"):
        parse_json("{\n\n" + '"a": ' + "[" * MAX_NESTING + "]" * MAX_NESTING + "}")


def test_limit_text_cuts_at_a_word():
    text = "слово " * 250_000  # 2.6 MB in UTF-8
    head, note = limit_text(text, 1024 * 1024)
    assert len(head.encode()) <= 1024 * 1024 and head.endswith("слово") and text.startswith(head)
    assert len(head.encode()) > 1024 * 1024 - 20
    assert note == "indexed the first 1 MB of 2.6 MB of text"
    assert limit_text("short", 1024) == ("short", None)
