"""The gazetteer, table by table: a text → the entities it names, in English and Russian."""

import pytest

from search.lang import gazetteer as G


def named(text: str) -> list[str]:
    return [m.entity for m in G.gazetteer().find(text)]


# Every case form, short forms, abbreviations, adjectives, multi-word names.
FORMS = [
    # Russian case forms
    ("Азербайджан", ["AZ"]),
    ("из Азербайджана", ["AZ"]),
    ("к Азербайджану", ["AZ"]),
    ("с Азербайджаном", ["AZ"]),
    ("в Германии", ["DE"]),
    ("Германией", ["DE"]),
    ("в Армении", ["AM"]),
    ("Кубы", ["CU"]),
    ("в Перу", ["PE"]),
    ("Белоруссии", ["BY"]),
    ("Беларуси", ["BY"]),
    # Russian short forms and organisations
    ("США", ["US"]),
    ("РФ", ["RU"]),
    ("КНР", ["CN"]),
    ("Великобритании", ["GB"]),
    ("ООН", ["org:UN"]),
    ("НАТО", ["org:NATO"]),
    ("ЕС", ["org:EU"]),
    ("Евросоюза", ["org:EU"]),
    ("Европейского союза", ["org:EU"]),
    ("ОБСЕ", ["org:OSCE"]),
    ("СНГ", ["org:CIS"]),
    ("ОДКБ", ["org:CSTO"]),
    ("МАГАТЭ", ["org:IAEA"]),
    ("ШОС", ["org:SCO"]),
    ("БРИКС", ["org:BRICS"]),
    ("АСЕАН", ["org:ASEAN"]),
    ("ЮНЕСКО", ["org:UNESCO"]),
    ("ВОЗ", ["org:WHO"]),
    ("ВТО", ["org:WTO"]),
    ("Совета Безопасности ООН", ["org:UNSC"]),
    ("Минской группы ОБСЕ", ["org:OSCE_MG"]),
    # Russian adjectives, in any form and case
    ("азербайджанский", ["AZ"]),
    ("азербайджанской стороны", ["AZ"]),
    ("Российской Федерации", ["RU"]),
    ("российских", ["RU"]),
    ("американские", ["US"]),
    # Russian multi-word names, longest first
    ("Соединённые Штаты Америки", ["US"]),
    ("Соединенных Штатов", ["US"]),
    ("в Папуа — Новой Гвинее", ["PG"]),
    ("Папуа-Новая Гвинея", ["PG"]),
    ("Гвинея-Бисау", ["GW"]),
    ("Гвинеи", ["GN"]),
    ("Южной Кореи", ["KR"]),
    ("Боснии и Герцеговине", ["BA"]),
    # English
    ("Azerbaijan", ["AZ"]),
    ("Azerbaijan’s", ["AZ"]),
    ("Azerbaijani", ["AZ"]),
    ("Germany", ["DE"]),
    ("the United States", ["US"]),
    ("the United States of America", ["US"]),
    ("the US", ["US"]),
    ("the U.S.", ["US"]),
    ("USA", ["US"]),
    ("United Kingdom", ["GB"]),
    ("Russian Federation", ["RU"]),
    ("UN", ["org:UN"]),
    ("the United Nations", ["org:UN"]),
    ("NATO", ["org:NATO"]),
    ("EU", ["org:EU"]),
    ("OSCE", ["org:OSCE"]),
    ("IAEA", ["org:IAEA"]),
    ("CIS", ["org:CIS"]),
    ("CSTO", ["org:CSTO"]),
    ("SCO", ["org:SCO"]),
    ("BRICS", ["org:BRICS"]),
    ("ASEAN", ["org:ASEAN"]),
    ("UNESCO", ["org:UNESCO"]),
    ("WHO", ["org:WHO"]),
    ("WTO", ["org:WTO"]),
    ("the Security Council", ["org:UNSC"]),
    ("the UN Security Council", ["org:UNSC"]),  # one name, not the UN and the Council
    ("Papua New Guinea", ["PG"]),
    ("Guinea-Bissau", ["GW"]),
    ("Equatorial Guinea", ["GQ"]),
    ("Guinea", ["GN"]),
    ("South Sudan", ["SS"]),
    ("Sudan", ["SD"]),
    ("Bosnia and Herzegovina", ["BA"]),
    ("Côte d’Ivoire", ["CI"]),
    ("Türkiye", ["TR"]),
    ("Turkey", ["TR"]),
    # several in one text, each where it stands
    ("Armenia and Azerbaijan", ["AM", "AZ"]),
    ("между Арменией и Азербайджаном при посредничестве ОБСЕ", ["AM", "AZ", "org:OSCE"]),
]


@pytest.mark.parametrize("text, expected", FORMS, ids=[t for t, _ in FORMS])
def test_a_form_names_its_entity(text, expected):
    assert named(text) == expected


# Homonyms: the rule each needs, and the common word it is not.
HOMONYMS = [
    ("Правительство Того заявило", ["TG"]),  # Togo: a capital inside a sentence
    ("визит в Того", ["TG"]),
    ("кроме того, это важно", []),  # the pronoun
    ("Того же мнения придерживается Россия.", ["RU"]),  # a capital at a sentence's start
    ("Он сказал. Того не знал никто", []),
    ("Тот самый договор", []),  # the pronoun's other forms never name Togo
    ("Республика Чад", ["TD"]),
    ("в Чаде", ["TD"]),
    ("чадо", []),  # a child
    ("Чадо", []),
    ("roast turkey for dinner", []),
    ("Turkey and Greece", ["TR", "GR"]),
    ("Jordan and Lebanon", ["JO", "LB"]),
    ("as Michael Jordan said", []),
    ("King Abdullah of Jordan", ["JO"]),
    ("Georgia and Armenia", ["GE", "AM"]),
    ("Atlanta, Georgia", []),
    ("the state of Georgia", []),
    ("Chad and Niger", ["TD", "NE"]),
    ("Chad Smith", []),
    ("let us go", []),  # the pronoun is not the US
    ("who said it", []),
    ("большой воз сена", []),  # a cart is not the WHO
    ("China and india", ["CN"]),  # a name needs its capital
    ("New Guinea", []),  # the island, not Guinea
    ("Latin America", []),
    ("New Mexico", []),
    ("Латинской Америки", []),
]


@pytest.mark.parametrize("text, expected", HOMONYMS, ids=[t for t, _ in HOMONYMS])
def test_homonym_rules(text, expected):
    assert named(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("AZ", "AZ"), ("az", "AZ"), ("org:NATO", "org:NATO"), ("org:nato", "org:NATO"),
    ("NATO", "org:NATO"), ("Азербайджан", "AZ"), ("Germany", "DE"), ("германия", "DE"),
    ("United States", "US"), ("XX", None), ("org:XYZ", None), ("resolution", None), ("", None),
    ("EU", "org:EU"),  # the organisation, not CLDR's territory code
])
def test_a_filter_value_is_read_as_an_entity(value, expected):
    assert G.canonical(value) == expected


@pytest.mark.parametrize("text, expected", [
    ("germany", ["DE"]), ("нато", ["org:NATO"]), ("Papua New Guinea", ["PG"]), ("US", ["US"]),
    ("us", []), ("turkey", []), ("Того", ["TG"]), ("Germany lang", []), ("occupied territories", []),
])
def test_a_query_names_an_entity_as_a_whole(text, expected):
    """In a query, letter case counts only for the names that are also common words."""
    assert G.gazetteer().whole_name(text) == expected


def test_every_entity_has_a_name_in_each_language():
    found = G.entities()
    assert {"AZ", "RU", "US", "DE", "PG", "TG", "org:UN", "org:NATO"} <= set(found)
    assert not {"EU", "UN", "ZZ", "001", "150", "QO"} & set(found)  # regions and placeholders
    for entity in found.values():
        assert entity.names["en"] and entity.names["ru"], entity.id
    assert G.names("AZ") == {"en": "Azerbaijan", "ru": "Азербайджан", "uk": "Азербайджан"}


def test_mentions_are_counted_once_and_sorted():
    assert G.mentions("Azerbaijan, Azerbaijan", "Азербайджана и Армении", "") == ["AM", "AZ"]


def test_the_matcher_offsets_point_at_the_name():
    text = "Заявление МИД Азербайджанской Республики о выборах"
    (m,) = G.gazetteer().find(text)
    assert (m.entity, text[m.start:m.end]) == ("AZ", "Азербайджанской Республики")
