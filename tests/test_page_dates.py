"""Web pages dated only by the line under (or above) their heading, in Russian
and English, and titles without the site's name: through the real reader, and
one page through the indexer into a date-filtered search. A date in a list of
related news, in a users' panel or in the article's sentences is never taken."""

import pytest

from indexer.build import update_index
from indexer.formats.html import _VisibleText, parsed, read_html
from indexer.formats.page_dates import tree_blocks, visible_date
from search.engine import search

BODY_RU = ("<p>Министерство иностранных дел Российской Федерации выражает глубокую обеспокоенность"
           " продолжающимся обострением обстановки в регионе и призывает стороны к сдержанности,"
           " к отказу от любых шагов, способных подорвать доверие, и к возобновлению переговоров.</p>"
           "<p>Российская сторона готова содействовать урегулированию в качестве сопредседателя"
           " Минской группы ОБСЕ и поддерживает усилия посредников.</p>")
BODY_EN = ("<p>The Ministry of Foreign Affairs expresses its deep concern over the continuing"
           " escalation in the region and calls on the parties to show restraint, to refrain from"
           " any step that could undermine trust, and to resume negotiations without delay.</p>"
           "<p>The Ministry stands ready to assist the settlement as a co-chair of the Minsk Group.</p>")
MENU_RU = ('<nav><ul><li><a href="/">Главная</a></li><li><a href="/press">Пресс-служба</a></li>'
           '<li><a href="/archive">Архив</a></li></ul></nav>')
# Related news, dated each: in a list of links, and in teasers of their own.
RELATED_RU = ('<aside class="related"><h2>Читайте также</h2><ul>'
              '<li><a href="/a">Лавров провёл переговоры с министром иностранных дел Армении</a>'
              ' <span>14 августа 2016, 10:15</span></li>'
              '<li><a href="/b">Брифинг официального представителя МИД</a> <span>12.08.2016</span></li>'
              '</ul></aside>'
              '<div class="news-list"><ul><li><span class="date">11 августа 2016</span>'
              '<a href="/c">Заявление МИД о ситуации в регионе</a></li></ul></div>')
FOOTER_RU = "<footer><p>© 2005–2016 МИД России. 15 августа 2016</p></footer>"


def page(head: str, article: str, *, title: str = "Заявление МИД России", lang: str = "ru",
         after: str = RELATED_RU) -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"{head}</head><body>{MENU_RU}<main><article>{article}</article>{after}</main>"
            f"{FOOTER_RU}</body></html>").encode("utf-8")


def given(data: bytes) -> dict:
    return read_html(data)[1]


NEWS_RU = page("", "<h1>Заявление МИД России о ситуации в регионе</h1>"
                   '<div class="meta"><span class="date">15 августа 2016, 13:43</span></div>' + BODY_RU)


def test_a_russian_date_line_under_the_heading_dates_the_page():
    assert given(NEWS_RU)["date"] == "2016-08-15"


@pytest.mark.parametrize("line, date", [
    ("15 августа 2016 года", "2016-08-15"),
    ("15 августа 2016 г., 13:43", "2016-08-15"),
    ("15.08.2016", "2016-08-15"),
    ("15 авг. 2016 г.", "2016-08-15"),
    ("Опубликовано: 3 янв. 2017, 09:00 МСК", "2017-01-03"),
    ("Политика | 1 декабря 2015", "2015-12-01"),
])
def test_the_ways_russian_ministries_write_their_date(line, date):
    data = page("", f"<h1>Заявление МИД России</h1><p>{line}</p>{BODY_RU}")
    assert given(data)["date"] == date


@pytest.mark.parametrize("line, date", [
    ("August 15, 2016", "2016-08-15"),
    ("15 August 2016, 13:43", "2016-08-15"),
    ('By <a href="/jane">Jane Doe</a>, Reuters | Aug. 15, 2016 3:43 PM', "2016-08-15"),
    ("Published: Monday 15 August 2016", "2016-08-15"),
])
def test_english_date_lines(line, date):
    data = page("", f"<h1>Statement on the situation in the region</h1><div>{line}</div>{BODY_EN}",
                title="Statement", lang="en")
    assert given(data)["date"] == date


def test_a_date_line_above_the_heading_counts_too():
    data = page("", f"<div>15.08.2016</div><h1>Заявление МИД России</h1>{BODY_RU}")
    assert given(data)["date"] == "2016-08-15"


def test_the_sites_header_showing_todays_date_does_not_date_the_page():
    def saved(under_heading: str) -> bytes:
        return ('<html><head><meta charset="utf-8"><title>Заявление</title></head><body>'
                '<div class="top"><div class="logo">Мультимедийная платформа</div>'
                "<div>понедельник, 21 сентября 2020, 00:03</div></div>"
                f"<div class='page'><div class='content'><div class='title'><h1>Заявление МИД</h1></div>"
                f"{under_heading}{BODY_RU}</div></div></body></html>").encode("utf-8")
    assert given(saved("<div>20.09.2020 23:32</div>"))["date"] == "2020-09-20"
    assert "date" not in given(saved(""))


def test_a_heading_that_is_not_the_title_is_the_sites_and_its_date_is_todays():
    data = ('<html><head><meta charset="utf-8"><title>Заявление о выборах</title>'
            '<meta property="og:title" content="Заявление о выборах"></head><body>'
            "<div class='top'><h1>Министерство иностранных дел</h1><div>Понедельник, 15 августа 2016</div></div>"
            f"<div class='article'><h2 class='title'>Заявление о выборах</h2>{BODY_RU}</div></body></html>")
    assert "date" not in given(data.encode("utf-8"))


def test_a_page_whose_only_dates_are_related_news_and_the_footer_stays_undated():
    data = page("", f"<h1>Заявление МИД России о ситуации в регионе</h1>{BODY_RU}")
    assert "date" not in given(data)
    short = page("", "<h1>Соболезнования</h1><p>Министр выразил соболезнования.</p>")
    assert "date" not in given(short)  # (a short article: the related list is right under it)
    # Teasers in blocks of their own, named by nothing: the article's text ends the search first.
    teasers = ("<div><h2>Другие новости</h2><div><div>14.08.2016</div><a href='/d'>Брифинг</a></div>"
               "<div><div>13.08.2016</div><a href='/e'>Интервью министра</a></div></div>")
    assert "date" not in given(page("", f"<h1>Заявление МИД России</h1>{BODY_RU}", after=teasers))
    # ...and under a short one, a date beside a link of its own is a teaser's.
    assert "date" not in given(page("", "<h1>Соболезнования</h1><p>Министр выразил соболезнования.</p>",
                                    after=teasers))
    title_first = teasers.replace("<div>14.08.2016</div><a href='/d'>Брифинг</a>",
                                  "<a href='/d'>Брифинг</a><div>14.08.2016</div>")
    assert "date" not in given(page("", "<h1>Соболезнования</h1><p>Министр выразил соболезнования.</p>",
                                    after=title_first))


def test_a_date_in_the_articles_sentences_is_an_events_not_the_pages():
    lead = "<p>15 августа 2016 года в Москве состоялись переговоры министров.</p>"
    assert "date" not in given(page("", f"<h1>Заявление МИД России</h1>{lead}{BODY_RU}"))
    sentence = ("<p>On 15 August 2016 the Minister met his counterpart in Geneva to discuss"
                " the settlement of the conflict and the work of the co-chairs of the Minsk Group.</p>")
    assert "date" not in given(page("", f"<h1>Statement</h1>{sentence}{BODY_EN}", lang="en"))
    # Past the article's first paragraph, a dated subheading is a document it recalls.
    recalled = "<h3>Заявление МИД России от 1 июня 2015 года</h3><p>Текст заявления.</p>"
    assert "date" not in given(page("", f"<h1>Заявление МИД России</h1>{BODY_RU}{recalled}"))


def test_a_users_join_date_or_a_future_date_is_no_date():
    forum = ('<h1>Statement</h1><div class="message-userDetails"><dl><dt>Joined</dt>'
             f"<dd>May 11, 2017</dd></dl></div>{BODY_EN}")
    assert "date" not in given(page("", forum, lang="en"))
    assert "date" not in given(page("", f"<h1>Statement</h1><p>15 August 2999</p>{BODY_EN}", lang="en"))


def test_a_later_date_line_is_never_taken_for_a_doubtful_first_one():
    """A date beside a link with another date by it may be a teaser's: no date then, not
    the next line's (here the update's)."""
    lines = ('<div><a href="/world">World</a></div><div>22:57 GMT 28.04.2020</div>'
             "<div>(updated 11:14 GMT 29.04.2020)</div>")
    data = page("", f"<h1>Statement on the pandemic</h1>{lines}{BODY_EN}", lang="en")
    assert "date" not in given(data)


def test_the_markups_date_wins_over_the_visible_one():
    data = page('<meta property="article:published_time" content="2016-08-14T21:00:00+03:00">',
                f"<h1>Заявление МИД России</h1><p>15 августа 2016, 13:43</p>{BODY_RU}")
    assert given(data)["date"].startswith("2016-08-14")


def test_the_visible_text_reader_finds_the_same_date_line():
    """The reader for pages without main text collects the same blocks as the lxml tree."""
    pages = [NEWS_RU, page("", f'<div class="date">15.08.2016</div><h1>Заявление</h1>{BODY_RU}'),
             page("", f"<h1>Заявление МИД России</h1>{BODY_RU}")]
    for data in pages:
        html = data.decode("utf-8")
        reader = _VisibleText()
        reader.feed(html)
        reader.close()
        from_reader = visible_date(reader.lines.close(), reader.h1)
        assert from_reader == visible_date(tree_blocks(parsed(html)), reader.h1)
    assert [visible_date(tree_blocks(parsed(p.decode()))) for p in pages] == ["2016-08-15", "2016-08-15", None]


def test_a_page_dated_by_its_date_line_is_found_by_a_date_filter(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "mid").mkdir(parents=True)
    (corpus / "mid" / "statement.html").write_bytes(NEWS_RU)
    (corpus / "mid" / "other.html").write_bytes(
        page("", f"<h1>Заявление МИД России о переговорах</h1>{BODY_RU}"))
    summary = update_index(corpus, index)
    assert summary.failed == 0, summary.problems
    assert [h.id for h in search(index, "обеспокоенность date:2016-08").hits] == ["mid/statement.html"]
    hits = {h.id: h.date for h in search(index, "обеспокоенность").hits}
    assert hits == {"mid/statement.html": "2016-08-15", "mid/other.html": None}


# --- titles -----------------------------------------------------------------

def title_of(title: str, head: str = "", article: str = "", lang: str = "en") -> str:
    body = BODY_EN if lang == "en" else BODY_RU
    return given(page(head, article + body, title=title, lang=lang))["title"]


def test_a_title_loses_the_sites_name_and_date():
    dw = '<link rel="canonical" href="https://www.dw.com/en/berlin/a-52063544">'
    assert title_of("Berlin confronts its colonial past | DW | 19.01.2020", dw) == \
        "Berlin confronts its colonial past"
    guardian = '<meta property="og:url" content="https://www.theguardian.com/education/2020/jan/20/x">'
    assert title_of("Thousands of academics treated as second-class – The Guardian", guardian) == \
        "Thousands of academics treated as second-class"
    bbc = '<link rel="canonical" href="https://www.bbc.co.uk/news/world-1">'
    assert title_of("Armenia votes in snap election - BBC News", bbc) == "Armenia votes in snap election"


def test_a_russian_title_loses_the_ministrys_name():
    mid = '<meta property="og:site_name" content="Министерство иностранных дел Российской Федерации">'
    assert title_of("Заявление МИД России о выборах — Министерство иностранных дел Российской Федерации",
                    mid, lang="ru") == "Заявление МИД России о выборах"
    ria = '<meta property="og:site_name" content="РИА Новости">'
    assert title_of("РИА Новости | Лавров провёл переговоры", ria, lang="ru") == "Лавров провёл переговоры"
    assert title_of("Брифинг М.В.Захаровой, 15 августа 2016 г. | Брифинг - 15.08.2016", lang="ru") == \
        "Брифинг М.В.Захаровой, 15 августа 2016 г. | Брифинг"


def test_the_heading_tells_the_title_from_an_unknown_sites_name():
    """og:title (which trafilatura prefers) keeps the suffix; the <h1> is the title without it."""
    og = '<meta property="og:title" content="Statement on Armenia - Ministry of Foreign Affairs">'
    assert title_of("Statement on Armenia - Ministry of Foreign Affairs", og,
                    "<h1>Statement on Armenia</h1>") == "Statement on Armenia"
    og = '<meta property="og:title" content="Заявление о выборах — МИД России">'
    assert title_of("Заявление о выборах — МИД России", og, "<h1>Заявление о выборах</h1>", lang="ru") == \
        "Заявление о выборах"


def test_a_titles_own_dash_stays():
    assert title_of("Nagorno-Karabakh – the next steps") == "Nagorno-Karabakh – the next steps"
    assert title_of("Armenia – Azerbaijan: the next steps", "",
                    "<h1>Armenia – Azerbaijan: the next steps</h1>") == "Armenia – Azerbaijan: the next steps"
    # A logo's heading (a link home) names the site, not the article.
    logo = '<header><h1><a href="/">Nagorno-Karabakh</a></h1></header>'
    assert title_of("Nagorno-Karabakh – the next steps", "", logo) == "Nagorno-Karabakh – the next steps"


def test_a_ukrainian_date_line_and_title_date_read_the_year_word_of_the_language_table():
    """«року», «р.» are the year words of Ukrainian dates, as «года», «г.» of Russian ones."""
    dated = page("", "<h1>Заява МЗС України щодо ситуації в регіоні</h1>"
                     '<div class="meta">15 серпня 2016 р., 13:43</div>' + BODY_RU,
                 title="Заява МЗС України щодо ситуації в регіоні", lang="uk")
    assert given(dated)["date"] == "2016-08-15"
    assert title_of("Заява МЗС України щодо ситуації | 15 серпня 2016 року", "") == \
        "Заява МЗС України щодо ситуації"
