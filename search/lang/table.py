"""Language data: the table of languages (one record each) and their stop words,
month names, scripts.

Kept as plain constants in one module so linguists can review them without
reading code, and so analysis, extraction, the schema, query parsing and the
web read one table: a language is added here (ARCHITECTURE.md, "A language").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Function words only. Deliberately absent: "us" (the United States), "may"
# (the month), "no" (as in "No:064/20"), numerals, and anything a researcher
# could want to find on its own.
STOP_WORDS_EN = frozenset(
    """
    a about above after again against all am an and any are as at be because
    been before being below between both but by can could did do does doing
    down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most
    my myself nor not of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours
    yourself yourselves
    """.split()
)

# Particles, prepositions, conjunctions and pronouns, the question words among
# them (какой, сколько, почему, который: a question's form, not its subject, as
# English "what" and "which" and Ukrainian «який»). Written with "е" for "ё":
# stop words are matched after ё-folding.
STOP_WORDS_RU = frozenset(
    """
    а без бы в вам из-за из-под вас во вот все всего всех всю вы где да даже для до его ее
    ей ему если же за здесь и из или им их к как ко когда кто ли либо меня мне
    мы на над нас не него нее ней ни ним них но ну о об обо он она они оно от
    перед по под при про с со так также такой там тем то того тоже том тот ту
    тут ты у уж уже чем через что чтобы эта эти это этого этой этом этот эту я
    какой какая какое какие какого каких каким какими какую каком какому
    каков какова каково каковы сколько почему зачем чей чья чье чьи куда откуда
    который которая которое которые которого которой котором которому которую
    которым которыми которых
    """.split()
)

# The same kinds of word in Ukrainian (no ё to fold).
STOP_WORDS_UK = frozenset(
    """
    а або але б би бо в вам вас ви від він вона вони воно все всі да для до
    його її ж же з за зі із й і їй їм їх коли котрий мене мені ми на над нас не
    ні ним них но о об от перед по під при про та так також там те тим то того
    тож той ту тут ти у уже вже хто це цей ці цього цієї цьому цю ця чи що щоб
    як який якщо я між через
    """.split()
)

# Month names as they appear in dates: English full and short forms, Russian
# genitive ("31 марта 2020"), nominative ("март 2020") and short ("15 авг. 2016",
# as news pages date themselves), Ukrainian genitive («15 серпня 2016»),
# nominative and the short forms that are no common word («лист», «лип» are).
MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
MONTHS_RU = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11,
    "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6,
    "июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11,
    "декабрь": 12,
    "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
}
MONTHS_UK = {
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6,
    "липня": 7, "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
    "січень": 1, "лютий": 2, "березень": 3, "квітень": 4, "травень": 5, "червень": 6,
    "липень": 7, "серпень": 8, "вересень": 9, "жовтень": 10, "листопад": 11, "грудень": 12,
    "січ": 1, "квіт": 4, "трав": 5, "черв": 6, "серп": 8, "жовт": 10, "груд": 12,
}

MONTH_NAMES_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)

# Lower-case Latin letters that look like Cyrillic ones (upper-case lookalikes
# such as B, H, M included through their lower-case forms), and back. OCR and
# careless typing mix them inside one word ("Рoссия" with a Latin "o").
LATIN_TO_CYRILLIC = str.maketrans("aceopxykmtbh", "асеорхукмтвн")
CYRILLIC_TO_LATIN = str.maketrans("асеорхукмтвн", "aceopxykmtbh")

# Years a statement may plausibly mention; four-digit numbers in this range
# are counted as "years mentioned" as well as numbers.
MENTIONED_YEAR_RANGE = (1800, 2100)



@dataclass(frozen=True)
class ResolutionWords:
    """How a language cites UN resolutions: the word "resolution" (a stem takes any
    ending: «резолюциями»), the words that may stand between it and the numbers
    («резолюции СБ ООН 853»), the words naming the General Assembly (whose
    resolutions a bare number may be; a bare number is otherwise the Security
    Council's), the words joining a list ("822 (1993), 853 (1993) and 884 (1993)"),
    the words between a number and its year ("2175 of 2014", «2175 от 2014 года»),
    and the words after a number that make it a count ("resolution 1325, 20 years on")."""

    words: tuple
    qualifiers: tuple
    assembly: tuple
    lists: tuple
    year_words: tuple
    counts: tuple


RESOLUTIONS_EN = ResolutionWords(
    ("resolutions", "resolution"),
    ("of the Security Council", "of the General Assembly", "of the United Nations", "No.", "Nos."),
    ("General Assembly",), ("and", "or", "as well as"), ("of",),
    ("%", "per cent", "percent", "years", "year"))
RESOLUTIONS_RU = ResolutionWords(
    ("резолюци",),
    ("Совета Безопасности ООН", "Совета Безопасности", "Генеральной Ассамблеи ООН",
     "Генеральной Ассамблеи", "СБ ООН", "ГА ООН", "СБ", "ГА", "ООН", "№"),
    ("Генеральной Ассамблеи", "Генеральная Ассамблея", "ГА ООН"), ("и", "или", "а также"), ("от",),
    ("лет", "год", "процент"))
RESOLUTIONS_UK = ResolutionWords(
    ("резолюці",),
    ("Ради Безпеки ООН", "Ради Безпеки", "Генеральної Асамблеї ООН", "Генеральної Асамблеї",
     "РБ ООН", "ГА ООН", "РБ", "ГА", "ООН", "№"),
    ("Генеральної Асамблеї", "Генеральна Асамблея", "ГА ООН"), ("і", "й", "та", "або", "а також"),
    ("від",), ("років", "роки", "рік", "відсот"))


@dataclass(frozen=True)
class Language:
    """One language the engine reads: how its text is recognised, analysed and named."""

    code: str  # ISO 639-1: the field names (body_uk), the facet value, the file infix (NAME.uk.txt)
    name: str  # in English, as the language facet shows it
    aliases: tuple  # what the query syntax's lang: takes besides the code
    script: str  # "Latin" or "Cyrillic": the words it may analyse
    letters: str  # letters of its script that no other language of the table writes
    stop_words: frozenset
    morphology: str | None  # the pymorphy3 dictionary of its lemmas ("ru", "uk"), if any
    stemmer: str | None  # else the Snowball stemmer of its words
    months: dict  # month names in dates → month number
    year_words: tuple  # words that may follow a year in a date («2020 года»)
    labels: tuple  # header words that are no title («заявление»)
    cldr: str  # the Babel (CLDR) locale of its country names
    resolutions: ResolutionWords  # how it cites UN resolutions
    # For ranking only (search.query.related): the Snowball stemmer whose stems
    # tell a word's related words («арестуют», «арестах»: арест), and the
    # derivational suffixes by which two stems may differ and still be one
    # word's («Кения», «кенийский»: кен + ийск).
    related_stemmer: str | None = None
    derivational: tuple = ()


ENGLISH = Language(
    "en", "English", ("eng", "english", "английский", "англійська"), "Latin", "",
    STOP_WORDS_EN, None, "english", MONTHS_EN, (), ("press release", "news",
                                                   "statement", "date"), "en", RESOLUTIONS_EN, "english",
    # demonyms and relational adjectives: Kenya → Kenyan, Luther → Lutheran, Japan → Japanese, Arab → Arabic
    ("an", "ian", "n", "es", "ish", "ic", "al", "ical"))
# The first language of a script is its default: a short Cyrillic text nothing
# else tells apart is Russian.
RUSSIAN = Language(
    "ru", "Russian", ("rus", "russian", "русский", "російська"), "Cyrillic", "ыэъё",
    STOP_WORDS_RU, "ru", None, MONTHS_RU, ("года", "год", "г"),
    ("пресс-релиз", "заявление", "сообщение", "дата"), "ru", RESOLUTIONS_RU, "russian",
    # relational adjectives and denominal verbs: город → городской, Кения →
    # кенийский, мир → мирный, Путин → путинский, арест → арестовать
    ("ск", "ийск", "н", "ов", "ев", "ова"))
UKRAINIAN = Language(
    "uk", "Ukrainian", ("ukr", "ua", "ukrainian", "украинский", "українська"), "Cyrillic", "іїєґ",
    STOP_WORDS_UK, "uk", None, MONTHS_UK, ("року", "рік", "р"),
    ("прес-реліз", "заява", "повідомлення", "коментар"), "uk", RESOLUTIONS_UK)

# Every language, in the order of the language column's bits (append only).
LANGUAGE_TABLE = (ENGLISH, RUSSIAN, UKRAINIAN)
LANGUAGE = {language.code: language for language in LANGUAGE_TABLE}
LANGUAGES = tuple(LANGUAGE)
LANGUAGE_NAMES = {language.code: language.name for language in LANGUAGE_TABLE}
STOP_WORDS = {language.code: language.stop_words for language in LANGUAGE_TABLE}
STOP_WORDS_ANY = frozenset().union(*STOP_WORDS.values())  # for text of any language (titles)
MONTHS = {name: n for language in LANGUAGE_TABLE for name, n in language.months.items()}
YEAR_WORDS = tuple(w for language in LANGUAGE_TABLE for w in language.year_words)
# The year words as one regular-expression alternation, longest first («года», «р.»: a
# one-letter abbreviation may carry its full stop).
YEAR_WORD_ALT = "|".join(re.escape(w) + (r"\.?" if len(w) == 1 else "")
                         for w in sorted(YEAR_WORDS, key=len, reverse=True))
# Each kind of resolution word, of every language (a citation's words are read in any).
RESOLUTION_WORDS = {kind: tuple(dict.fromkeys(w for language in LANGUAGE_TABLE
                                              for w in getattr(language.resolutions, kind)))
                    for kind in ResolutionWords.__dataclass_fields__}
HEADER_LABELS = tuple(w for language in LANGUAGE_TABLE for w in language.labels)
SCRIPT_DEFAULT = {}  # script → its default language
for _language in LANGUAGE_TABLE:
    SCRIPT_DEFAULT.setdefault(_language.script, _language.code)


def script_languages(script_name: str) -> tuple[str, ...]:
    """The codes of the languages written in a script, its default first."""
    return tuple(language.code for language in LANGUAGE_TABLE if language.script == script_name)
