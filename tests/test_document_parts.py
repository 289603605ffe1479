"""A long statement is shown in parts of bounded size, on the page and in its JSON twin.

The statements are generated here, several MB long, and indexed for real.
"""

from __future__ import annotations

import re

import pytest

from indexer.build import update_index
from tests.conftest import ARTIFACTS
from webui.parts import LISTED_VALUES, PART_CHARS

NEEDLE = "Tskhinvali"  # once, near the end of the long statement
PARAGRAPH = ("Paragraph {n}. The delegation recalled the commitments on sustainable development, "
             "climate finance and the reform of the international financial architecture, and "
             "asked every member state to honour the pledges made at the previous session. ") * 4
LONG_PARAGRAPHS = 1900  # about 1.8 MB, within what the indexer keeps of a statement
LINES = 6000  # one paragraph of that many lines, about 0.6 MB
RU_PARAGRAPH = ("Абзац {n}. Делегация напомнила об обязательствах в области устойчивого развития "
                "и климатического финансирования и призвала выполнить данные обещания. ") * 4


def long_text() -> str:
    paragraphs = [PARAGRAPH.format(n=n).strip() for n in range(1, LONG_PARAGRAPHS + 1)]
    paragraphs[-3] += f" The people of {NEEDLE} were thanked."
    return "Statement on development at length\n\n" + "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "long.txt").write_text(long_text(), encoding="utf-8")
    lines = "\n".join(f"Line {n} of the annex lists the delegations present at the session."
                      for n in range(LINES))
    (corpus / "annex.txt").write_text("Annex to the statement\n\n" + lines, encoding="utf-8")
    (corpus / "pair.en.txt").write_text("Statement in two languages\n\n" + "\n\n".join(
        PARAGRAPH.format(n=n).strip() for n in range(300)), encoding="utf-8")
    (corpus / "pair.ru.txt").write_text("Заявление на двух языках\n\n" + "\n\n".join(
        RU_PARAGRAPH.format(n=n).strip() for n in range(1000)), encoding="utf-8")
    (corpus / "short.txt").write_text("A short statement\n\nOn development, briefly.", encoding="utf-8")
    index_dir = root / "index"
    summary = update_index(corpus, index_dir)
    assert summary.problems == [], summary.problems
    from webui import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    return app.test_client()


def all_parts(client, doc_id: str) -> list[dict]:
    first = client.get(f"/api/documents/{doc_id}").get_json()
    bodies = [first]
    while "next" in bodies[-1]["links"]:
        response = client.get(bodies[-1]["links"]["next"])
        assert response.status_code == 200
        bodies.append(response.get_json())
    return bodies


def whole_text(client, doc_id: str, lang: str) -> str:
    """The section's text, read without parts (straight from the index)."""
    from search.engine import SearchIndex

    with SearchIndex(client.application.config["INDEX_DIR"]) as index:
        return next(s.text for s in index.document(doc_id).sections if s.lang == lang)


def test_the_json_twin_gives_the_text_part_by_part_cut_between_paragraphs(big):
    bodies = all_parts(big, "long.txt")
    text = whole_text(big, "long.txt", "en")
    assert len(text) > 8 * PART_CHARS
    assert [b["part"] for b in bodies] == list(range(1, len(bodies) + 1))
    assert {b["parts"] for b in bodies} == {len(bodies)}
    assert len(text) / PART_CHARS <= len(bodies) <= 1.2 * len(text) / PART_CHARS + 1
    texts = [b["sections"][0]["text"] for b in bodies]
    assert all(len(t) <= PART_CHARS for t in texts)
    # Every part begins and ends at a paragraph's edge, and the parts are the whole text.
    assert all(t.startswith(("Paragraph ", "Statement on")) and t.endswith((".", "thanked.")) for t in texts)
    assert "\n\n".join(texts) == text
    assert "previous" not in bodies[0]["links"] and "next" not in bodies[-1]["links"]
    assert bodies[1]["links"]["previous"].endswith("/api/documents/long.txt")
    assert bodies[2]["links"]["previous"].endswith("/api/documents/long.txt?part=2")
    assert bodies[1]["links"]["html"].endswith("/doc/long.txt?part=2")


def test_a_long_paragraph_is_cut_between_its_lines(big):
    bodies = all_parts(big, "annex.txt")
    text = whole_text(big, "annex.txt", "en")
    assert len(bodies) >= 3
    texts = [b["sections"][0]["text"] for b in bodies]
    assert all(len(t) <= PART_CHARS for t in texts)
    assert all(re.fullmatch(r"(Line \d+ of .*?session\.\n?)+", t) for t in texts[1:]), texts[1][:200]
    assert "\n".join(texts) == text


def test_two_languages_are_paged_side_by_side(big):
    bodies = all_parts(big, "pair.txt")
    en = [s["text"] for b in bodies for s in b["sections"] if s["lang"] == "en"]
    ru = [s["text"] for b in bodies for s in b["sections"] if s["lang"] == "ru"]
    assert len(bodies) == max(sum(1 for t in en if t), sum(1 for t in ru if t))
    assert "\n\n".join(t for t in en if t) == whole_text(big, "pair.txt", "en")
    assert "\n\n".join(t for t in ru if t) == whole_text(big, "pair.txt", "ru")
    last = big.get(f"/doc/pair.txt?part={len(bodies)}").get_data(as_text=True)
    en_parts = sum(1 for t in en if t)
    assert f'The English text ends in <a href="/doc/pair.txt?part={en_parts}">part {en_parts}</a>.' in last


def test_the_page_shows_one_part_with_its_matches_and_the_way_to_the_others(big):
    parts = big.get("/api/documents/long.txt").get_json()["parts"]
    response = big.get(f"/doc/long.txt?q={NEEDLE}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(html) < 3 * PART_CHARS  # not the whole statement (2.4 MB)
    # Without a part asked for, the part with the match is shown, with it marked.
    assert f"<mark>{NEEDLE}</mark>" in html
    assert f"Part {parts} of {parts}" in html
    assert f'rel="prev" href="/doc/long.txt?q={NEEDLE}&amp;part={parts - 1}"' in html
    assert 'rel="next"' not in html
    assert "Matches in part" in html
    first = big.get(f"/doc/long.txt?q={NEEDLE}&part=1").get_data(as_text=True)
    assert f"Part 1 of {parts}" in first and "<mark>" not in first
    assert f'rel="next" href="/doc/long.txt?q={NEEDLE}&amp;part=2"' in first
    assert f'<a href="/doc/long.txt?q={NEEDLE}&amp;part={parts}">{parts}</a>' in first
    assert f'href="/api/documents/long.txt?part={parts}"' in html  # its JSON twin is this part
    assert "Paragraph 1." in first and "Paragraph 1." not in html
    # It mentions every paragraph's number: a hundred are listed, the JSON has them all.
    body = big.get("/api/documents/long.txt").get_json()
    numbers = [n for n in body["numbers"] if n not in body["mentioned_years"]]
    assert len(numbers) > LISTED_VALUES
    assert html.count('href="/?number=') == LISTED_VALUES
    assert f"and {len(numbers) - LISTED_VALUES} more" in html


def test_a_short_statement_has_one_part_and_no_part_navigation(big):
    body = big.get("/api/documents/short.txt").get_json()
    assert (body["part"], body["parts"]) == (1, 1) and "next" not in body["links"]
    assert "Part 1 of 1" not in big.get("/doc/short.txt").get_data(as_text=True)


@pytest.mark.parametrize("part", ["0", "-1", "x", "1.5", "999"])
def test_a_part_the_statement_does_not_have_is_a_400(big, part):
    response = big.get(f"/api/documents/long.txt?part={part}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"
    assert "part" in response.get_json()["error"]["message"]
    page = big.get(f"/doc/long.txt?part={part}")
    assert page.status_code == 400 and page.mimetype == "text/html"


@pytest.mark.browser
def test_the_parts_in_a_browser(big, tmp_path_factory, page):
    from tests.fixtures_web import running_server

    with running_server(big.application.config["INDEX_DIR"]) as url:
        page.goto(f"{url}/doc/long.txt?q={NEEDLE}")
        nav = page.locator("#part-nav-top")
        assert nav.is_visible()
        assert page.locator("mark").first.inner_text() == NEEDLE
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "document-parts-top.png"))
        page.locator("mark").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "document-parts.png"))
        nav.locator("a[rel=prev]").click()
        page.wait_for_load_state("load")
        assert "Part " in page.locator("#part-nav-top .part-of").inner_text()
        assert page.locator("mark").count() == 0
        assert page.problems == []
