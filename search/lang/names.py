"""Names of countries and international organisations: what CLDR's territory
names (Babel) lack, as plain constants for review without reading code.

`search.lang.gazetteer` joins these to CLDR's names. Conventions of the lists:

* a word written with a capital must be capitalised in the text, a word in
  capitals (two letters or more) must be in capitals («ООН», "UN"), a word in
  lower case may be in any case (Russian adjectives: «азербайджанский»);
* every name is matched in any inflection: it is analysed like the text;
* a longer name wins over a shorter one it contains ("Papua New Guinea" is
  not Guinea), and BLOCKED names are longer names that name no entity here.
"""

# CLDR territory codes that are not countries a statement mentions: regions,
# unions and placeholders (the EU and the UN are organisations below), and
# tiny dependencies whose short names are common words.
SKIPPED_TERRITORIES = frozenset(
    "AC CP CQ DG EA EU EZ IC QO TA UM UN XA XB ZZ BV HM CC CX TF GS IO".split()
)

# Names in the text for the entities CLDR names otherwise (replacing its
# display form where it is not how statements write it), by language.
DISPLAY = {
    "en": {
        "BA": "Bosnia and Herzegovina", "CD": "Democratic Republic of the Congo",
        "CG": "Republic of the Congo", "HK": "Hong Kong", "MO": "Macao", "MM": "Myanmar",
        "PS": "Palestine", "AG": "Antigua and Barbuda", "KN": "Saint Kitts and Nevis",
        "LC": "Saint Lucia", "VC": "Saint Vincent and the Grenadines",
        "ST": "Sao Tome and Principe", "TT": "Trinidad and Tobago", "VA": "Holy See",
        "BL": "Saint Barthélemy", "MF": "Saint Martin", "PM": "Saint Pierre and Miquelon",
        "SH": "Saint Helena", "SJ": "Svalbard and Jan Mayen", "TC": "Turks and Caicos Islands",
        "WF": "Wallis and Futuna", "PN": "Pitcairn Islands", "VG": "British Virgin Islands",
        "VI": "United States Virgin Islands",
    },
    "ru": {
        "CD": "Демократическая Республика Конго", "CG": "Республика Конго", "HK": "Гонконг",
        "MO": "Макао", "MM": "Мьянма", "PS": "Палестина", "US": "США", "SH": "остров Святой Елены",
        "CK": "Острова Кука", "KY": "Каймановы острова", "IM": "остров Мэн",
        "PN": "острова Питкэрн", "VG": "Британские Виргинские острова",
        "VI": "Американские Виргинские острова", "AX": "Аландские острова",
        "BM": "Бермудские острова", "FK": "Фолклендские острова", "FO": "Фарерские острова",
        "MH": "Маршалловы Острова", "MP": "Северные Марианские острова",
        "SB": "Соломоновы Острова", "SC": "Сейшельские Острова", "NF": "остров Норфолк",
    },
}

# Further names and short forms of countries, by ISO code and language.
ALIASES = {
    "AE": {"en": ["UAE", "Emirates"], "ru": ["Объединённые Арабские Эмираты", "Эмираты"]},
    "AZ": {"en": ["Republic of Azerbaijan"], "ru": ["Азербайджанская Республика"]},
    "AM": {"en": ["Republic of Armenia"], "ru": ["Республика Армения"]},
    "BY": {"en": ["Byelorussia"], "ru": ["Белоруссия", "Республика Беларусь"]},
    "BO": {"en": ["Plurinational State of Bolivia"], "ru": []},
    "CD": {"en": ["DR Congo", "DRC", "Congo-Kinshasa"], "ru": ["ДРК", "ДР Конго"]},
    "CG": {"en": ["Congo-Brazzaville"], "ru": []},
    "CF": {"en": [], "ru": ["ЦАР"]},
    "CI": {"en": ["Ivory Coast", "Cote d'Ivoire"], "ru": []},
    "CN": {"en": ["People's Republic of China", "PRC"], "ru": ["КНР", "Китайская Народная Республика"]},
    "CV": {"en": ["Cabo Verde"], "ru": []},
    "CZ": {"en": ["Czech Republic"], "ru": ["Чешская Республика"]},
    "DE": {"en": ["Federal Republic of Germany", "FRG"], "ru": ["ФРГ", "Федеративная Республика Германия"]},
    "GB": {"en": ["UK", "U.K.", "Great Britain", "Britain", "Northern Ireland"],
           "ru": ["Соединённое Королевство", "Британия"]},
    "IR": {"en": ["Islamic Republic of Iran"], "ru": ["Исламская Республика Иран"]},
    "JO": {"en": ["Hashemite Kingdom of Jordan"], "ru": []},
    "KG": {"en": ["Kyrgyz Republic"], "ru": ["Кыргызстан", "Кыргызская Республика"]},
    "KP": {"en": ["Democratic People's Republic of Korea", "DPRK"],
           "ru": ["Северная Корея", "Корейская Народно-Демократическая Республика"]},
    "KR": {"en": ["Republic of Korea", "ROK"], "ru": ["Южная Корея"]},
    "LA": {"en": ["Lao People's Democratic Republic"], "ru": []},
    "MD": {"en": ["Republic of Moldova"], "ru": ["Молдавия", "Республика Молдова"]},
    "MK": {"en": ["Macedonia"], "ru": ["Македония"]},
    "NL": {"en": ["Holland"], "ru": ["Голландия"]},
    "PS": {"en": ["State of Palestine", "Palestinian Territories"], "ru": ["Государство Палестина"]},
    "RU": {"en": ["Russian Federation"], "ru": ["Российская Федерация", "РФ"]},
    "SA": {"en": ["Kingdom of Saudi Arabia"], "ru": []},
    "SY": {"en": ["Syrian Arab Republic"], "ru": ["Сирийская Арабская Республика"]},
    "SZ": {"en": ["Swaziland"], "ru": ["Свазиленд"]},
    "TD": {"en": ["Republic of Chad"], "ru": []},
    "TL": {"en": ["East Timor"], "ru": ["Тимор-Лесте"]},
    "TR": {"en": ["Turkey", "Turkiye"], "ru": ["Турецкая Республика"]},
    "TZ": {"en": ["United Republic of Tanzania"], "ru": []},
    "US": {"en": ["United States of America", "USA", "U.S.A.", "US", "U.S.", "America"],
           "ru": ["Соединённые Штаты Америки", "Соединённые Штаты", "Америка"]},
    "VA": {"en": ["Vatican City", "Vatican"], "ru": ["Святой Престол"]},
    "VE": {"en": ["Bolivarian Republic of Venezuela"], "ru": []},
    "VN": {"en": ["Viet Nam"], "ru": []},
    "ZA": {"en": [], "ru": ["ЮАР"]},
}

# Adjectives that clearly name a country ("Russian" also names a language,
# but in statements it is the state's far more often than not).
ADJECTIVES = {
    "AF": {"en": ["Afghan"], "ru": ["афганский"]},
    "AM": {"en": ["Armenian"], "ru": ["армянский"]},
    "AZ": {"en": ["Azerbaijani", "Azeri"], "ru": ["азербайджанский"]},
    "BY": {"en": ["Belarusian"], "ru": ["белорусский"]},
    "CN": {"en": ["Chinese"], "ru": ["китайский"]},
    "CU": {"en": ["Cuban"], "ru": ["кубинский"]},
    "DE": {"en": ["German"], "ru": ["германский", "немецкий"]},
    "EG": {"en": ["Egyptian"], "ru": ["египетский"]},
    "FR": {"en": ["French"], "ru": ["французский"]},
    "GB": {"en": ["British"], "ru": ["британский"]},
    "GE": {"en": ["Georgian"], "ru": ["грузинский"]},
    "IL": {"en": ["Israeli"], "ru": ["израильский"]},
    "IN": {"en": ["Indian"], "ru": ["индийский"]},
    "IQ": {"en": ["Iraqi"], "ru": ["иракский"]},
    "IR": {"en": ["Iranian"], "ru": ["иранский"]},
    "IT": {"en": ["Italian"], "ru": ["итальянский"]},
    "JP": {"en": ["Japanese"], "ru": ["японский"]},
    "KG": {"en": ["Kyrgyz"], "ru": ["киргизский", "кыргызский"]},
    "KZ": {"en": ["Kazakh", "Kazakhstani"], "ru": ["казахстанский"]},
    "MD": {"en": ["Moldovan"], "ru": ["молдавский", "молдовский"]},
    "PK": {"en": ["Pakistani"], "ru": ["пакистанский"]},
    "PL": {"en": ["Polish"], "ru": ["польский"]},
    "PS": {"en": ["Palestinian"], "ru": ["палестинский"]},
    "RU": {"en": ["Russian"], "ru": ["российский"]},
    "SA": {"en": ["Saudi"], "ru": ["саудовский"]},
    "SY": {"en": ["Syrian"], "ru": ["сирийский"]},
    "TJ": {"en": ["Tajik"], "ru": ["таджикский"]},
    "TM": {"en": ["Turkmen"], "ru": ["туркменский"]},
    "TR": {"en": ["Turkish"], "ru": ["турецкий"]},
    "UA": {"en": ["Ukrainian"], "ru": ["украинский"]},
    "US": {"en": ["American"], "ru": ["американский"]},
    "UZ": {"en": ["Uzbek"], "ru": ["узбекский", "узбекистанский"]},
}

# International organisations: id → names by language, the display name first
# (a language without names shows the English one).
ORGANISATIONS = {
    "org:UN": {"en": ["United Nations", "UN", "U.N."], "ru": ["ООН", "Организация Объединённых Наций"],
                "uk": ["ООН", "Організація Об'єднаних Націй"]},
    "org:UNSC": {"en": ["Security Council", "UN Security Council", "United Nations Security Council",
                        "UNSC"],
                 "ru": ["Совет Безопасности ООН", "Совет Безопасности", "СБ ООН", "Совбез ООН"],
                "uk": ["Рада Безпеки ООН", "Рада Безпеки", "РБ ООН"]},
    "org:UNGA": {"en": ["General Assembly", "UN General Assembly", "United Nations General Assembly",
                        "UNGA"],
                 "ru": ["Генеральная Ассамблея ООН", "Генеральная Ассамблея", "ГА ООН", "Генассамблея ООН",
                        "Генассамблея"],
                "uk": ["Генеральна Асамблея ООН", "Генеральна Асамблея", "ГА ООН"]},
    "org:NATO": {"en": ["NATO", "North Atlantic Treaty Organization", "North Atlantic Alliance"],
                 "ru": ["НАТО", "Североатлантический альянс", "Организация Североатлантического договора"],
                "uk": ["НАТО", "Північноатлантичний альянс"]},
    "org:EU": {"en": ["European Union", "EU"], "ru": ["Евросоюз", "Европейский союз", "ЕС"],
                "uk": ["Європейський Союз", "Євросоюз", "ЄС"]},
    "org:OSCE": {"en": ["OSCE", "Organization for Security and Co-operation in Europe",
                        "Organization for Security and Cooperation in Europe", "CSCE"],
                 "ru": ["ОБСЕ", "Организация по безопасности и сотрудничеству в Европе", "СБСЕ"],
                "uk": ["ОБСЄ", "Організація з безпеки та співробітництва в Європі"]},
    "org:OSCE_MG": {"en": ["OSCE Minsk Group", "Minsk Group"], "ru": ["Минская группа ОБСЕ", "Минская группа"]},
    "org:CIS": {"en": ["CIS", "Commonwealth of Independent States"],
                "ru": ["СНГ", "Содружество Независимых Государств"],
                "uk": ["СНД", "Співдружність Незалежних Держав"]},
    "org:CSTO": {"en": ["CSTO", "Collective Security Treaty Organization"],
                 "ru": ["ОДКБ", "Организация Договора о коллективной безопасности"]},
    "org:EAEU": {"en": ["Eurasian Economic Union", "EAEU"], "ru": ["Евразийский экономический союз", "ЕАЭС"]},
    "org:IAEA": {"en": ["IAEA", "International Atomic Energy Agency"],
                 "ru": ["МАГАТЭ", "Международное агентство по атомной энергии"],
                "uk": ["МАГАТЕ", "Міжнародне агентство з атомної енергії"]},
    "org:SCO": {"en": ["SCO", "Shanghai Cooperation Organisation", "Shanghai Cooperation Organization"],
                "ru": ["ШОС", "Шанхайская организация сотрудничества"]},
    "org:BRICS": {"en": ["BRICS"], "ru": ["БРИКС"]},
    "org:ASEAN": {"en": ["ASEAN", "Association of Southeast Asian Nations"],
                  "ru": ["АСЕАН", "Ассоциация государств Юго-Восточной Азии"]},
    "org:UNESCO": {"en": ["UNESCO"], "ru": ["ЮНЕСКО"],
                "uk": ["ЮНЕСКО"]},
    "org:WHO": {"en": ["World Health Organization", "WHO"], "ru": ["ВОЗ", "Всемирная организация здравоохранения"],
                "uk": ["Всесвітня організація охорони здоров'я", "ВООЗ"]},
    "org:WTO": {"en": ["World Trade Organization", "WTO"], "ru": ["ВТО", "Всемирная торговая организация"]},
    "org:IMF": {"en": ["International Monetary Fund", "IMF"], "ru": ["Международный валютный фонд", "МВФ"],
                "uk": ["Міжнародний валютний фонд", "МВФ"]},
    "org:WB": {"en": ["World Bank"], "ru": ["Всемирный банк"]},
    "org:AU": {"en": ["African Union"], "ru": ["Африканский союз"]},
    "org:COE": {"en": ["Council of Europe"], "ru": ["Совет Европы"],
                "uk": ["Рада Європи"]},
    "org:OIC": {"en": ["Organisation of Islamic Cooperation", "Organization of Islamic Cooperation", "OIC"],
                "ru": ["Организация исламского сотрудничества", "ОИС"]},
    "org:LAS": {"en": ["League of Arab States", "Arab League"], "ru": ["Лига арабских государств", "ЛАГ"]},
    "org:G20": {"en": ["G20", "Group of Twenty"], "ru": ["G20", "Группа двадцати"],
                "uk": ["G20", "Група двадцяти"]},
    "org:G7": {"en": ["G7", "Group of Seven"], "ru": ["G7", "Группа семи"],
                "uk": ["G7", "Група семи"]},
    "org:ICJ": {"en": ["International Court of Justice", "ICJ"], "ru": ["Международный суд ООН", "Международный суд"]},
    "org:ICC": {"en": ["International Criminal Court"], "ru": ["Международный уголовный суд", "МУС"]},
    "org:UNICEF": {"en": ["UNICEF"], "ru": ["ЮНИСЕФ"]},
    "org:UNHCR": {"en": ["UNHCR", "UN Refugee Agency"], "ru": ["УВКБ ООН", "УВКБ"]},
    "org:UNDP": {"en": ["UNDP", "United Nations Development Programme"], "ru": ["ПРООН", "Программа развития ООН"]},
    "org:OPEC": {"en": ["OPEC"], "ru": ["ОПЕК"]},
}

# Longer names that contain an entity's name but name none of the entities:
# matched like names, so the shorter one inside is not taken.
BLOCKED = {
    "en": ["New Guinea", "New Mexico", "New Jersey", "New South Wales", "Latin America", "South America",
           "North America", "Central America", "Latin American", "South American", "North American",
           "Central American", "Indian Ocean", "Lake Chad", "Jordan River", "Jordan Valley",
           "Russian language", "Chinese language", "French language", "German language"],
    "ru": ["Латинская Америка", "Южная Америка", "Северная Америка", "Центральная Америка", "Новая Гвинея",
           "Индийский океан", "озеро Чад", "немецкий язык", "французский язык", "китайский язык"],
}

# Names that are also common words or other names, and the rule each needs
# besides its letter case:
#   "query case": its letter case counts in a query too ("us" is not the US);
#   "not added": never added to a query in the other language (the index
#       cannot tell "US" from "us");
#   "as written": this form only, not the forms of its homonym («Того», not «тот»);
#   "not at sentence start": a capital at a sentence's start proves nothing
#       («Того же мнения…»);
#   "not beside a name": not directly after or before a capitalised word
#       ("Michael Jordan", "Chad Smith");
#   "not the US state": not after "Atlanta," or "state of", nor before "USA".
HOMONYMS = {
    "US": ("query case", "not added"),
    "U.S.": ("query case", "not added"),
    "WHO": ("query case",),
    "Turkey": ("query case",),
    "Jordan": ("query case", "not beside a name"),
    "Chad": ("query case", "not beside a name"),
    "Georgia": ("not the US state",),
    "Того": ("query case", "as written", "not at sentence start"),
}
US_STATE_BEFORE = (("atlanta",), ("state", "of"))  # folded words just before "Georgia"
US_STATE_AFTER = (("usa",), ("u", "s"), ("state",))  # ... and just after it
