"""The index schema: every field name and type, in one place.

A statement is one document. Each language has its own body field with its
own analyser; metadata lives in indexed fields (for queries and filters) and
in compact per-document columns (for facets and sorting), both written at
index time.
"""

from __future__ import annotations

from array import array

from whoosh import columns, fields, formats

from search.lang.analysis import EXACT, language_analyzer, surface_analyzer
from search.lang.table import LANGUAGES

# Bump when the schema or the meaning of a field changes: an index built
# with another version must be rebuilt (the indexer says so).
SCHEMA_VERSION = 12  # 12: reuse_<lang> columns (search.views.passages); 11: languages from langdata's table

ID = "id"  # path of the statement relative to the corpus (unique)
GROUP = "group"  # the source files' group key: what incremental updates replace
HASH = "hash"  # content hash of the group's files, for incremental updates
SOURCES = "sources"  # stored: the corpus files the statement was read from
TITLE = "title"
BODY = {lang: f"body_{lang}" for lang in LANGUAGES}  # indexed, not stored: the text is in TEXT
TEXT = {lang: f"text_{lang}" for lang in LANGUAGES}  # column: each language's text (search.exec.texts)
FORM_TERMS = {lang: f"form_terms_{lang}" for lang in LANGUAGES}  # column: search.views.formterms
REUSE = {lang: f"reuse_{lang}" for lang in LANGUAGES}  # column: each word's lemma hash (search.views.passages)
# The columns of bytes read by document (texts, form terms, lemma hashes): a snapshot holds
# them open, and the arrays file beside each segment keeps where each value starts.
BYTES_COLUMNS = (*TEXT.values(), *FORM_TERMS.values(), *REUSE.values())
DATE = "date"  # stored ISO date, or year only ("2019"), or None
DATEKEY = "datekey"  # YYYYMMDD; YYYY0000 when only the year is known; 0 unknown
YEAR = "year"
DOCNO = "docno"  # the statement's own number, e.g. "064/20"
NUMBERS = "numbers"  # integers mentioned in the text (years included)
MENTIONED_YEARS = "mentioned_years"  # four-digit years mentioned
LANG = "lang"  # languages present: "en", "ru", "uk"
URL = "url"  # stored: the original's address on the web (http or https), when the corpus gives it
# Facet columns (not indexed): cheap to read for every matching document.
YEAR_COL = "year_col"
MONTH_COL = "month_col"
LANG_COL = "lang_col"  # bit mask over LANGUAGES
NUMBERS_COL = "numbers_col"  # packed int64 array
MENTIONED_YEARS_COL = "mentioned_years_col"
RESOLUTIONS = "resolutions"  # UN resolutions cited, one term each: "S/RES/822 (1993)"
RESOLUTIONS_COL = "resolutions_col"  # the same, packed strings (pack_strings)
MENTIONS = "mentions"  # countries and organisations named (search.lang.gazetteer): "AZ", "org:NATO"
MENTIONS_COL = "mentions_col"  # the same, packed strings (pack_strings)
METADATA = "metadata"  # stored: the further metadata the corpus gives ({"issuer": "…"})
# The facets the corpus declares (corpus/statements.toml): one indexed field each,
# facet_NAME (keywords) or facetnum_NAME (integers), for the query syntax, and one
# column of them all, packed strings "NAME\x1fVALUE", for filter masks and counts.
DECLARED_PREFIX = {"keyword": "facet_", "integer": "facetnum_"}
FACET_INT_MIN, FACET_INT_MAX = -(2**63), 2**63 - 1  # an integer facet's values: signed 64-bit
DECLARED_COL = "declared_col"
DECLARED_SEP = "\x1f"

TEXT_FIELDS = (TITLE, *BODY.values())
TITLE_BOOST = 2.5


# The vocabulary: every folded word form the corpus has used, for prefix and
# fuzzy queries and spelling suggestions. It lives beside the statements in
# the same directory as a second Whoosh index, and only grows: each commit
# adds one document storing the words new to the corpus (newline-separated).
# Searches read them all into one sorted list (see search.exec.vocabulary). Stored,
# not indexed: Whoosh writes an indexed term slowly, and a corpus brings tens
# of thousands of word forms at once.
VOCABULARY_INDEX = "VOCAB"
STATEMENTS_INDEX = "MAIN"  # (Whoosh's default index name: the statements were first alone)
WORDS = "words"


class WordsField(fields.FieldType):
    """The vocabulary field of schema version 2 (indexed words). Kept so such
    an index still opens, to be reported as built by another version."""

    def __init__(self):
        super().__init__(formats.Existence(), surface_analyzer())


def _uncounted(values):
    """A format's (term, frequency, weight, value)s, the exact-form terms'
    frequency 0: Whoosh sums the frequencies into the field's length, which
    BM25 reads, and a word's exact form is the same word once more."""
    for term, freq, weight, value in values:
        yield term, 0 if term.startswith(EXACT) else freq, weight, value


def _fused(value, analyzer, kwargs, method: str):
    """The analyser's fused method of that name, when it has one and this
    value is a text analysed as the index analyses it; else None."""
    if not isinstance(value, str) or set(kwargs) - {"mode"} or kwargs.get("mode", "index") != "index":
        return None
    return getattr(analyzer, method, None)


class TitlePostings(formats.Positions):
    """Whoosh's positions postings, filled from the analyser's fused
    `term_positions` when it has one, the same bytes on disk; the exact-form
    terms leave the field's length alone."""

    def word_values(self, value, analyzer, **kwargs):
        term_positions = _fused(value, analyzer, kwargs, "term_positions")
        if term_positions is None:
            return _uncounted(super().word_values(value, analyzer, **kwargs))
        boost = self.field_boost
        return [(term, 0 if term.startswith(EXACT) else len(found), len(found) * boost, self.encode(found))
                for term, found in term_positions(value).items()]


class OffsetPostings(formats.Characters):
    """Whoosh's positions-and-characters postings, the same bytes on disk,
    filled from the analyser's fused `term_postings` when it has one (our
    language analysers do), instead of from its token stream; the exact-form
    terms leave the field's length alone."""

    def word_values(self, value, analyzer, **kwargs):
        term_postings = _fused(value, analyzer, kwargs, "term_postings")
        if term_postings is None:
            return _uncounted(super().word_values(value, analyzer, **kwargs))
        boost = self.field_boost
        return [(term, 0 if term.startswith(EXACT) else len(found), len(found) * boost, self.encode(found))
                for term, found in term_postings(value).items()]


def body_field(lang: str) -> fields.TEXT:
    """A language's body: each term keeps its character offsets, so matches are
    marked without analysing the text again. The text itself is in TEXT[lang]."""
    field = fields.TEXT(analyzer=language_analyzer(lang), stored=False, phrase=True, chars=True)
    field.format = OffsetPostings(field_boost=field.format.field_boost)
    return field


def build_vocabulary_schema() -> fields.Schema:
    return fields.Schema(**{WORDS: fields.STORED()})


def title_field() -> fields.TEXT:
    field = fields.TEXT(analyzer=language_analyzer(None), stored=True, phrase=True,
                        field_boost=TITLE_BOOST)
    field.format = TitlePostings(field_boost=field.format.field_boost)
    return field


def build_schema() -> fields.Schema:
    body_fields = {BODY[lang]: body_field(lang) for lang in LANGUAGES}
    schema = fields.Schema(
        **{
            ID: fields.ID(stored=True, unique=True, sortable=True),
            GROUP: fields.ID(sortable=True),
            HASH: fields.ID(sortable=True),
            SOURCES: fields.STORED(),
            TITLE: title_field(),
            **body_fields,
            DATE: fields.STORED(),
            DATEKEY: fields.NUMERIC(int, 32, sortable=True, signed=False),
            YEAR: fields.NUMERIC(int, 32, signed=False, shift_step=8),
            DOCNO: fields.KEYWORD(stored=True, lowercase=True),
            NUMBERS: fields.NUMERIC(int, 64, stored=True, shift_step=16),
            MENTIONED_YEARS: fields.NUMERIC(int, 32, stored=True, signed=False, shift_step=8),
            LANG: fields.KEYWORD(stored=True),
            URL: fields.STORED(),
            YEAR_COL: fields.COLUMN(columns.NumericColumn("H", default=0)),
            MONTH_COL: fields.COLUMN(columns.NumericColumn("B", default=0)),
            LANG_COL: fields.COLUMN(columns.NumericColumn("B", default=0)),
            NUMBERS_COL: fields.COLUMN(columns.VarBytesColumn()),
            MENTIONED_YEARS_COL: fields.COLUMN(columns.VarBytesColumn()),
            RESOLUTIONS: fields.ID(stored=True),
            RESOLUTIONS_COL: fields.COLUMN(columns.VarBytesColumn()),
            MENTIONS: fields.ID(),
            MENTIONS_COL: fields.COLUMN(columns.VarBytesColumn()),
            METADATA: fields.STORED(),
            DECLARED_COL: fields.COLUMN(columns.VarBytesColumn()),
            **{TEXT[lang]: fields.COLUMN(columns.VarBytesColumn()) for lang in LANGUAGES},
            **{FORM_TERMS[lang]: fields.COLUMN(columns.VarBytesColumn()) for lang in LANGUAGES},
            **{REUSE[lang]: fields.COLUMN(columns.VarBytesColumn()) for lang in LANGUAGES},
        }
    )
    schema.add(DECLARED_PREFIX["keyword"] + "*", fields.ID(), glob=True)
    schema.add(DECLARED_PREFIX["integer"] + "*", fields.NUMERIC(int, 64), glob=True)
    return schema


def shapes(schema: fields.Schema) -> dict:
    """Each field's type, format, storage, column type and analyser: an index whose
    schema has the shapes of the one we write can be read.

    Whoosh's own schema equality cannot be used: column objects do not
    compare equal to themselves after unpickling.
    """
    return {
        name: (type(f), type(f.format), f.stored, f.unique, type(f.column_type),
               f.analyzer if f.analyzer is not None else None)
        for name, f in schema.items()
    }


# Columns the indexer writes for every statement: a live segment without one
# of them is damaged (Whoosh would read the missing column as all defaults).
STATEMENT_COLUMNS = (DATEKEY, YEAR_COL, MONTH_COL, LANG_COL, NUMBERS_COL, MENTIONED_YEARS_COL,
                     RESOLUTIONS_COL, MENTIONS_COL, DECLARED_COL, *TEXT.values(),
                     *FORM_TERMS.values())


def lang_mask(langs) -> int:
    """Bit mask of languages for the language column."""
    return sum(1 << LANGUAGES.index(lang) for lang in langs if lang in LANGUAGES)


def pack_strings(values) -> bytes:
    """Packs strings for a keyword column: UTF-8, sorted, each ending in a newline."""
    return "".join(f"{v}\n" for v in sorted(set(values))).encode("utf-8")


def unpack_strings(blob: bytes) -> list[str]:
    return blob.decode("utf-8").split("\n")[:-1]


def pack_ints(values) -> bytes:
    """Packs integers for a facet column (int64, machine byte order)."""
    return array("q", sorted(set(values))).tobytes()


def date_key(year: int | None, month: int | None = None, day: int | None = None) -> int:
    """Sortable integer for a date that may be known only to the year."""
    if not year:
        return 0
    return year * 10000 + (month or 0) * 100 + (day or 0)
