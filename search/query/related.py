"""How closely a statement's words match the words typed, as a ranking signal
that never changes what a query finds.

A search matches a word by its lemmas (Russian, Ukrainian) or its stem
(English), and must go no further: «выборы» finds the forms of that word
alone, and the totals, trends and concordances built on a search count only
the word asked for. Two signals beyond that rank the statements found:

* the form typed: a statement holding the word in the very form typed
  («арестах», "hymns") scores TYPED_FORM_WEIGHT times that form's BM25F more;
* related words: a statement holding a word derived from the same stem, of
  another part of speech («арестуют» → «арестах», whose lemmas арестовать and
  арест differ; «Кения» → «кенийского»; "Kenya" → "Kenyan"), scores
  RELATED_WEIGHT times that word's BM25F more. Related are the corpus's word
  forms whose Snowball stem is the typed word's, or differs from it by one of
  its language's derivational suffixes (search.lang.table, `derivational`);
  a word's related forms score by the best of them, as its lemmas do.

Both are one optional clause (Whoosh's `AndMaybe`): it adds to the score of a
statement the query finds and never finds one. bench/ir.py measures them.
"""

from __future__ import annotations

from whoosh import query as wq

from search import schema as S
from search.lang.analysis import (
    EXACT, PART_RE, analysis_language, exact_term, fold, is_stop_word, query_terms, repair, word_terms,
)
from search.lang.gazetteer import gazetteer
from search.lang.morphology import stem as snowball_stem
from search.lang.table import LANGUAGE
from search.query.nodes import Alternatives
from search.query.tree import ParsedQuery

# Measured on the development halves of bench/ir.py's collections, nDCG@10
# xquad-r-ru, xquad-r-en, SciFact: neither signal 0.8421, 0.8634, 0.6861;
# related words alone (0.4) 0.8501, 0.8634, 0.6861; the form typed alone
# (0.3) 0.8468 in Russian; both 0.8539, 0.8675, 0.6839; within 0.003 of
# that for either weight from 0.15 to 0.5 (a weight of 1 loses: 0.8337).
TYPED_FORM_WEIGHT = 0.2
RELATED_WEIGHT = 0.5
# Stems shorter than this join words too loosely to call them one word's kin.
MIN_STEM = 3
# Word forms looked at, at most, for one word in one field of a segment (a short stem starts many).
MAX_CANDIDATES = 2000
# Words whose related forms a commit keeps (then forgets them all and starts again).
MAX_KEPT = 20_000


def with_related(q: wq.Query, parsed: ParsedQuery, vocabulary, analyzer) -> wq.Query:
    """`q`, whose statements score higher for holding the query's plain words
    (outside NOT) in the form typed or a related word; `q` itself when there
    is nothing to add. `vocabulary`: a commit's (search.exec.vocabulary.WordList:
    the statements index's reader, and the related words it keeps);
    `analyzer(fieldname)`: a field's analyser."""
    reader = getattr(vocabulary, "reader", None)
    if reader is None or parsed.raw is not None:
        return q
    kept = vocabulary.related
    clauses = []
    for leaf in plain_words(parsed):
        word = repair(fold(leaf.text))
        fields = [S.TITLE] if leaf.field == "title" else list(S.TEXT_FIELDS)
        parts = []
        for fieldname in fields:
            if (fieldname, exact_term(word)) in reader:
                parts.append(wq.Term(fieldname, exact_term(word), boost=TYPED_FORM_WEIGHT))
            lang = getattr(analyzer(fieldname), "lang", None)
            terms = kept.get((word, lang, fieldname))
            if terms is None:  # (the vocabulary's prefix walk: the costly part, once per commit)
                if len(kept) >= MAX_KEPT:
                    kept.clear()
                terms = kept[word, lang, fieldname] = related_terms(
                    word, lang, fieldname, reader, vocabulary.each_segment)
            if terms:
                parts.append(_best(fieldname, terms, RELATED_WEIGHT))
        if parts:
            clauses.append(parts[0] if len(parts) == 1 else wq.Or(parts))
    if not clauses:
        return q
    return wq.AndMaybe(q, clauses[0] if len(clauses) == 1 else wq.Or(clauses))


def plain_words(parsed: ParsedQuery) -> list:
    """The plain words of a query (outside NOT), each once, but stop words and,
    when names are searched across languages, names: an entity is found and
    ranked as one, by its mentions in every language (search.exec.concept), not by its words."""
    from search.query.build import name_run  # (build imports this module)

    leaves = [leaf for leaf in parsed.texts() if leaf.kind == "word"]
    named, i = set(), 0
    while parsed.names and i < len(leaves):
        run = name_run(leaves, i, parsed.text) or leaves[i:i + 1]  # (none for a field's word)
        if len(run) > 1 or gazetteer().whole_name(leaves[i].text):
            named.update(id(leaf) for leaf in run)
        i += len(run)
    seen, out = set(), []
    for leaf in leaves:
        key = (repair(fold(leaf.text)), leaf.field)
        if id(leaf) in named or key in seen or is_stop_word(key[0]):
            continue
        seen.add(key)
        out.append(leaf)
    return out


def related_terms(word: str, lang: str | None, fieldname: str, reader, each_segment=None) -> tuple[str, ...]:
    """The exact-form terms of a field's word forms related to the folded `word`
    (see the module's docstring), none of whose lemmas the word searches.
    `each_segment(key, walk)`, when given, gives walk(segment reader) for each
    segment of `reader`, kept per segment under `key` (a commit then walks only
    its new segments' words)."""
    code = analysis_language(word, lang)
    language = LANGUAGE[code] if code else None
    if language is None or not language.related_stemmer or not PART_RE.fullmatch(word):
        # (a word the analyser splits, "up-regulation": only its form typed)
        return ()
    stemmer, suffixes = language.related_stemmer, language.derivational
    stem = snowball_stem(word, stemmer)
    if len(stem) < MIN_STEM:
        return ()
    own = set(query_terms(word, False, lang))
    forms = _with_stem(stem, {stem, *(stem + s for s in suffixes)}, stemmer, fieldname, reader, each_segment)
    for s in suffixes:
        if stem.endswith(s) and len(stem) - len(s) >= MIN_STEM:
            forms += _with_stem(stem[:-len(s)], {stem[:-len(s)]}, stemmer, fieldname, reader, each_segment)
    return tuple(exact_term(f) for f in sorted(set(forms))
                 if f != word and own.isdisjoint(word_terms(f, False, lang)))


def _with_stem(base: str, stems: set, stemmer: str, fieldname: str, reader, each_segment=None) -> list[str]:
    """The field's word forms whose stem is one of `stems` (each starting with
    `base`), segment by segment when `each_segment` is given (see related_terms)."""
    def walk(segment):
        return _segment_with_stem(base, stems, stemmer, fieldname, segment)

    if each_segment is None:
        return walk(reader)
    return [form for forms in each_segment(("related", fieldname, base, tuple(sorted(stems)), stemmer), walk)
            for form in forms]


def _segment_with_stem(base: str, stems: set, stemmer: str, fieldname: str, reader) -> list[str]:
    """_with_stem in one reader. A Snowball stem is its word's beginning but for
    its last letter (English turns a final y into i), so the forms looked at
    start with that; at most MAX_CANDIDATES of them."""
    out = []
    prefix = EXACT + base[:-1]
    for n, term in enumerate(reader.expand_prefix(fieldname, prefix)):
        if n >= MAX_CANDIDATES:
            break
        form = term.decode() if isinstance(term, bytes) else term
        form = form[len(EXACT):]
        if snowball_stem(form, stemmer) in stems:
            out.append(form)
    return out


def _best(fieldname: str, terms, boost: float) -> wq.Query:
    """One word's related forms in a field: scored by the best of them."""
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    return Alternatives([wq.Term(fieldname, t) for t in terms], boost=boost)
