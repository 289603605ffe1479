"""Text reuse on a real index of statements made here, in English and Russian:
passages of 12 words or more found through inflection, 11 words not, a footer
most statements share left out as boilerplate, and the pairs kept right as
statements are added, replaced and removed; then the API over HTTP."""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request

import numpy as np
import pytest

from indexer.build import update_index
from search.lang.folding import WORD_RE, fold_text, word_bounds
from search.views import passages as R
from search import Filters
from search.engine import SearchIndex
from search.views.reuse import CSV_COLUMNS
from tests.fixtures_web import running_server

EN_WORDS = ("river mountain orange window garden silver teacher market bridge summer pencil castle "
            "harbour forest candle doctor island ladder meadow engine basket violin tunnel pillow "
            "lantern rabbit saddle wagon comet feather hammer jacket kettle lemon mirror needle "
            "oyster parrot quilt ribbon scarf thimble umbrella vessel walnut yacht zebra anchor "
            "barrel cactus dolphin falcon glacier hazel iris jungle kiwi lobster").split()
RU_WORDS = ("река гора окно сад учитель рынок мост лето карандаш замок гавань лес свеча доктор остров "
            "лестница луг двигатель корзина скрипка туннель подушка фонарь кролик седло телега комета перо "
            "молоток куртка чайник лимон зеркало иголка попугай одеяло лента шарф зонт сосуд орех яхта зебра "
            "якорь бочка кактус дельфин сокол ледник ирис джунгли омар").split()

# One passage, inflected otherwise in each statement (the same lemmas and stems).
EN_EARLIER = ("the governments of the member states reaffirmed their unwavering commitment to the peaceful "
              "settlement of all regional conflicts through negotiations")
EN_LATER = ("the government of the member state reaffirms their unwavering commitments to the peaceful "
            "settlements of all regional conflict through negotiation")
RU_EARLIER = ("решительно осуждаем обстрелы мирных жителей и призываем стороны к немедленному прекращению "
              "огня и к возобновлению переговоров о мирном урегулировании")
RU_LATER = ("решительно осуждаем обстрел мирного жителя и призываем сторону к немедленным прекращениям "
            "огней и к возобновлениям переговоров о мирных урегулированиях")
ELEVEN = "the delegation expressed concern about the humanitarian situation in the region"  # 11 words
FOOTER = ("for further information please contact the press office of the ministry by telephone "
          "or by electronic mail")


def filler(words, seed: int, n: int = 40) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(words) for _ in range(n))


def statement(title: str, date: str, *paragraphs: str) -> str:
    return f"{title}\n\n{date}\n\n" + "\n\n".join(paragraphs) + "\n"


def corpus(seed: int = 0) -> dict[str, str]:
    en = lambda i: filler(EN_WORDS, seed * 100 + i)  # noqa: E731
    ru = lambda i: filler(RU_WORDS, seed * 100 + i)  # noqa: E731
    return {
        "a.txt": statement("Statement A", "10 March 2019", en(1), EN_EARLIER + " " + en(2)),
        "b.txt": statement("Statement B", "5 June 2020", en(3), "Again " + EN_LATER + ". " + en(4)),
        "e.txt": statement("Statement E", "1 May 2019", en(5), "alpha " + ELEVEN + " omega " + en(6)),
        "f.txt": statement("Statement F", "2 May 2019", en(7), "zulu " + ELEVEN + " yankee " + en(8)),
        **{f"g{i}.txt": statement(f"Statement G{i}", f"{i + 1} July 2019", en(10 + i), FOOTER)
           for i in range(6)},
        "c.txt": statement("Заявление C", "3 марта 2018 года", ru(20), RU_EARLIER + " " + ru(21)),
        "d.txt": statement("Заявление D", "4 апреля 2021 года", ru(22), "Мы " + RU_LATER + ". " + ru(23)),
    }


def write(folder, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def pairs(index: SearchIndex) -> set[tuple[str, str]]:
    return {(p.earlier.id, p.later.id) for p in index.reuse("", limit=None).pairs}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("reuse")
    write(root / "corpus", corpus())
    update_index(root / "corpus", root / "index")
    return root


def test_inflected_repetitions_are_found_in_both_languages_earliest_first(made):
    with SearchIndex(made / "index") as index:
        assert pairs(index) == {("a.txt", "b.txt"), ("c.txt", "d.txt")}
        result = index.reuse("", limit=None)
        by_pair = {(p.earlier.id, p.later.id): p for p in result.pairs}
        en = by_pair[("a.txt", "b.txt")].passages
        assert [(p.lang, p.words) for p in en] == [("en", 20)]
        assert en[0].earlier.text == EN_EARLIER and en[0].later.text == EN_LATER
        assert '<mark class="reuse">the governments of' in en[0].earlier.extract_html
        ru = by_pair[("c.txt", "d.txt")].passages
        assert [(p.lang, p.words, p.earlier.text, p.later.text) for p in ru] == [("ru", 19, RU_EARLIER, RU_LATER)]
        # A statement's list: the other, dated, with the passage at its place in each text.
        later = index.reuse_of("b.txt")
        assert [(o.id, o.relation, o.date) for o in later.others] == [("a.txt", "earlier", "2019-03-10")]
        here = later.others[0].passages[0].here
        text = index.document("b.txt").sections[0].text
        assert text[here.start:here.end] == EN_LATER
        assert [o.relation for o in index.reuse_of("a.txt").others] == ["later"]
        # 11 shared words are not a passage.
        assert index.reuse_of("e.txt").others == [] and index.reuse_of("f.txt").others == []
        assert index.reuse_of("missing.txt") is None


def test_a_footer_most_statements_share_is_left_out_as_boilerplate(made):
    with SearchIndex(made / "index") as index:
        assert R.boilerplate_limit(10) == R.BOILERPLATE_MIN < 6  # the footer is in 6 of 10 English statements
        g = index.reuse_of("g0.txt")
        assert g.others == [] and g.boilerplate_left_out == 1
        assert index.reuse_of("a.txt").boilerplate_left_out == 0
        whole = index.reuse("", limit=None)
        assert whole.boilerplate_left_out == 6 and not any(p.earlier.id.startswith("g") for p in whole.pairs)
        assert whole.reusing == 4 and whole.total_pairs == 2
        assert index.reuse("", within="found", filters=None, limit=None).total_pairs == 2
        # A search's statements: a pair counts when either is found, or both (within=found).
        assert pairs_of(index.reuse("Заявление", limit=None)) == {("c.txt", "d.txt")}
        in_2019 = Filters(years=(2019,))  # A, not B
        assert pairs_of(index.reuse("", in_2019, limit=None)) == {("a.txt", "b.txt")}
        assert pairs_of(index.reuse("", in_2019, within="found", limit=None)) == set()
        assert pairs_of(index.reuse("", Filters(years=(2019, 2020)), within="found", limit=None)) == {("a.txt", "b.txt")}


def pairs_of(result) -> set[tuple[str, str]]:
    return {(p.earlier.id, p.later.id) for p in result.pairs}


def test_the_indexer_writes_each_commits_passages_and_a_reader_finds_the_same_without_them(made):
    with SearchIndex(made / "index") as index:
        written = index.reuse("", limit=None).as_dict()
    (made / "index" / R.FILE).rename(made / "index" / "kept.npz")
    try:
        with SearchIndex(made / "index") as index:
            found = index.reuse("", limit=None).as_dict()
    finally:
        (made / "index" / "kept.npz").rename(made / "index" / R.FILE)
    written.pop("took_ms"), found.pop("took_ms")
    assert found == written


def test_passages_found_a_few_shingles_at_a_time_are_the_same_as_at_once(made):
    """Finding passages takes the shingles a range of hashes at a time (to bound
    its memory): any number of ranges gives the tables the indexer wrote."""
    ix, _ = R.storage.open_indexes(str(made / "index"))
    with ix.reader() as reader:
        written = R.load(made / "index", R.storage.content_key(reader))
        found = {n: R.build(reader, pass_shingles=n) for n in (1, 7, 100, R.PASS_SHINGLES)}
    ix.close()
    assert len(written["en"].a) == len(written["ru"].a) == 1 and written["en"].boilerplate.sum() == 6
    for tables in found.values():
        for lang, t in written.items():
            assert (tables[lang].statements, tables[lang].boilerplate_limit) == (t.statements, t.boilerplate_limit)
            for name in R._ARRAYS:
                assert np.array_equal(getattr(tables[lang], name), getattr(t, name)), (lang, name)
                assert getattr(tables[lang], name).dtype == getattr(t, name).dtype


def test_a_paragraph_in_many_statements_is_one_passage_a_pair_however_long(tmp_path):
    """Seven statements of 100 that share a 48-word paragraph (at different places,
    once with a word changed in its middle): each two share it whole, except where
    the changed word cuts it in two; four more share a paragraph and go on two
    ways. The pairs are taken at the passages' starts only, and followed while the
    same words go on."""
    rng = random.Random(5)
    shared = " ".join(rng.choice(EN_WORDS) for _ in range(48))
    changed = shared.split()
    changed[24] = "zeppelin"
    files = {f"s{i:02d}.txt": statement(f"Statement {i}", f"{i % 28 + 1} April 2019",
                                         filler(EN_WORDS, 500 + i, 20 + i), filler(EN_WORDS, 600 + i))
             for i in range(100)}
    for i in range(6):
        files[f"s{i:02d}.txt"] = statement(f"Statement {i}", f"{i + 1} March 2019",
                                           filler(EN_WORDS, 500 + i, 20 + i), shared, filler(EN_WORDS, 600 + i))
    files["s06.txt"] = statement("Statement 6", "7 March 2019", filler(EN_WORDS, 506, 7), " ".join(changed))
    # Four more share a 20-word paragraph, two going on with one 20-word text and two with another.
    opening, then = filler(EN_WORDS, 700, 20), (filler(EN_WORDS, 701, 20), filler(EN_WORDS, 702, 20))
    for i in range(7, 11):
        files[f"s{i:02d}.txt"] = statement(f"Statement {i}", f"{i + 1} March 2019", filler(EN_WORDS, 500 + i, 9),
                                           opening + " " + then[i % 2])
    write(tmp_path / "corpus", files)
    update_index(tmp_path / "corpus", tmp_path / "index")
    with SearchIndex(tmp_path / "index") as index:
        found = index.reuse("", limit=None)
        words = {(p.earlier.id, p.later.id): sorted(x.words for x in p.passages) for p in found.pairs}
    whole = {(f"s{i:02d}.txt", f"s{j:02d}.txt"): [48] for i in range(6) for j in range(i + 1, 6)}
    halves = {(f"s{i:02d}.txt", "s06.txt"): [23, 24] for i in range(6)}  # (words 0–23 and 25–47)
    going_on = {("s07.txt", "s09.txt"): [40], ("s08.txt", "s10.txt"): [40]}
    going_on |= {pair: [20] for pair in (("s07.txt", "s08.txt"), ("s07.txt", "s10.txt"), ("s08.txt", "s09.txt"),
                                         ("s09.txt", "s10.txt"))}
    assert words == whole | halves | going_on


def test_passages_read_through_the_arrays_files_are_those_read_value_by_value(tmp_path):
    """Each segment's columns are taken in one read through its arrays file's
    offsets; a segment without one (an older index) is read value by value, to the same tables."""
    files = corpus(seed=3)
    write(tmp_path / "corpus", {k: v for k, v in files.items() if k not in ("b.txt", "d.txt")})
    update_index(tmp_path / "corpus", tmp_path / "index")
    write(tmp_path / "corpus", files)
    update_index(tmp_path / "corpus", tmp_path / "index")  # (a second segment, after the first's statements)

    def tables():
        ix, _ = R.storage.open_indexes(str(tmp_path / "index"))
        with ix.reader() as reader:
            assert len([leaf for leaf, _ in reader.leaf_readers() if leaf.doc_count_all()]) == 2
            found = R.build(reader)
        ix.close()
        return found

    mapped = tables()
    arrays = sorted((tmp_path / "index").glob("*.texts.arrays"))
    assert len(arrays) == 2
    arrays[1].rename(tmp_path / "kept")  # (one segment read each way)
    mixed = tables()
    arrays[0].rename(tmp_path / "kept0")
    slow = tables()
    assert len(mapped["en"].a) == len(mapped["ru"].a) == 1
    for found in (mixed, slow):
        for lang, t in mapped.items():
            for name in R._ARRAYS:
                assert np.array_equal(getattr(found[lang], name), getattr(t, name)), (lang, name)


def test_a_damaged_passages_file_is_found_again_from_the_columns_and_rewritten(tmp_path):
    write(tmp_path / "corpus", corpus(seed=2))
    update_index(tmp_path / "corpus", tmp_path / "index")
    saved = tmp_path / "index" / R.FILE
    saved.write_bytes(b"not a table")
    with SearchIndex(tmp_path / "index") as index:
        assert pairs(index) == {("a.txt", "b.txt"), ("c.txt", "d.txt")}
    summary = update_index(tmp_path / "corpus", tmp_path / "index")  # (nothing changed: no commit)
    assert summary.commits == 0 and summary.warnings == []
    with SearchIndex(tmp_path / "index") as index:
        key = index._snapshots.retrying(lambda snap: R.storage.content_key(snap.searcher.reader()))
    assert R.load(tmp_path / "index", key) is not None


def test_adding_replacing_and_removing_statements_keeps_the_pairs_right(tmp_path):
    files = corpus(seed=1)
    write(tmp_path / "corpus", files)
    update_index(tmp_path / "corpus", tmp_path / "index")
    with SearchIndex(tmp_path / "index") as index:  # (one open index follows the commits)
        assert pairs(index) == {("a.txt", "b.txt"), ("c.txt", "d.txt")}
        write(tmp_path / "corpus", {"h.txt": statement("Statement H", "1 January 2022", EN_LATER)})
        update_index(tmp_path / "corpus", tmp_path / "index")
        assert pairs(index) == {("a.txt", "b.txt"), ("a.txt", "h.txt"), ("b.txt", "h.txt"), ("c.txt", "d.txt")}
        assert [o.id for o in index.reuse_of("h.txt").others] == ["a.txt", "b.txt"]
        (tmp_path / "corpus" / "a.txt").unlink()
        update_index(tmp_path / "corpus", tmp_path / "index")
        assert pairs(index) == {("b.txt", "h.txt"), ("c.txt", "d.txt")}
        assert index.reuse_of("a.txt") is None
        write(tmp_path / "corpus", {"b.txt": statement("Statement B", "5 June 2020", filler(EN_WORDS, 999))})
        update_index(tmp_path / "corpus", tmp_path / "index")
        assert pairs(index) == {("c.txt", "d.txt")}
        assert index.reuse_of("h.txt").others == []


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read()


def test_the_api_over_http(made):
    with running_server(made / "index") as server:
        status, kind, body = get(f"{server}/api/documents/b.txt/reuse")
        data = json.loads(body)
        assert status == 200 and kind.startswith("application/json")
        assert data["statements"] == 1 and data["passage_words"] == R.PASSAGE_WORDS
        other = data["others"][0]
        assert (other["id"], other["relation"], other["words"]) == ("a.txt", "earlier", 20)
        assert other["url"].endswith("/doc/a.txt")
        assert other["passages"][0]["there"]["text"] == EN_EARLIER
        assert json.loads(get(f"{server}/api/documents/g1.txt/reuse")[2])["boilerplate_left_out"] == 1
        status, _, body = get(f"{server}/api/documents/nothing.txt/reuse")
        assert status == 404 and "nothing.txt" in json.loads(body)["error"]["message"]
        data = json.loads(get(f"{server}/api/reuse?limit=1")[2])
        assert (data["total_pairs"], data["shown"], data["boilerplate_left_out"]) == (2, 1, 6)
        first = data["pairs"][0]  # the earliest first: C (2018) before A (2019)
        assert (first["earlier"]["id"], first["later"]["id"], first["words"]) == ("c.txt", "d.txt", 19)
        assert first["earlier"]["date"] == "2018-03-03" and first["later"]["date"] == "2021-04-04"
        by_words = json.loads(get(f"{server}/api/reuse?order=words")[2])
        assert [p["words"] for p in by_words["pairs"]] == [20, 19]
        status, kind, body = get(f"{server}/api/reuse.csv")
        lines = body.decode("utf-8-sig").splitlines()
        assert status == 200 and kind.startswith("text/csv")
        assert lines[0] == ",".join(CSV_COLUMNS)
        assert len(lines) == 3 and lines[1].startswith("c.txt,2018-03-03,d.txt,2021-04-04,ru,19,")
        status, _, body = get(f"{server}/reuse?q=Kazbegi")  # (found nowhere: no "0 of the 0")
        assert status == 200 and "The search finds no statement." in body.decode()
        assert 'class="summary"' not in body.decode() and "data-boilerplate" not in body.decode()
        for bad in ("order=oldest", "within=all", "limit=0", "limit=1001"):
            status, _, body = get(f"{server}/api/reuse?{bad}")
            assert status == 400 and bad.split("=")[0] in json.loads(body)["error"]["message"]
        status, _, body = get(f"{server}/doc/b.txt")
        page = body.decode()
        assert status == 200 and "Also said in" in page and 'data-id="a.txt"' in page
        status, _, body = get(f"{server}/reuse?q=statement")
        assert status == 200 and 'data-earlier="a.txt" data-later="b.txt"' in body.decode()


WORD_EDGES = ["Nagorno-Karabakh's «выборы» из-за a--b -x- y- _z_ 𝐀bc 1,2 3.4 ’a’ ʼb at\u00adom со\u0301юз 😀 end-",
              "", "-", "a", "a-b-c--d'e''f", "\ud800x y"]


def test_word_spans_found_at_once_are_the_words_the_word_pattern_finds():
    """Passages' character offsets come from word_bounds over a whole text; the words
    are the pattern's (hyphens and apostrophes inside a word, combining marks, letters past the first plane)."""
    alphabet = "ab ё-'’ʼ_\u00ad\u0301.,😀𝐀Ж1\n\t‐‑"
    rng = random.Random(7)
    texts = WORD_EDGES + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        folded = fold_text(text)
        starts, ends = word_bounds(folded)
        assert list(zip(starts.tolist(), ends.tolist())) == [m.span() for m in WORD_RE.finditer(folded)], text
