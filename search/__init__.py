"""Statement search library: analysis, schema, queries, facets, snippets.

The public API, importable from here::

    from search import SearchIndex, Filters

    with SearchIndex("index") as index:
        result = index.search("выборы", filters=Filters(years=(2020,)))

Names are loaded on first use, so importing one part of the package (the
analysers, say, which the index's pickled schema refers to) does not load
the rest.
"""

from __future__ import annotations

import importlib

# name → the module that defines it
_EXPORTS = {
    "SearchIndex": "search.engine",
    "search": "search.engine",
    "MAX_PER_PAGE": "search.fields",
    "Filters": "search.results",
    "Trend": "search.views.trend",
    "TrendRequest": "search.views.trend",
    "SearchResult": "search.results",
    "Hit": "search.results",
    "Snippet": "search.results",
    "FacetValue": "search.results",
    "Document": "search.results",
    "Section": "search.results",
    "SORTS": "search.results",
    "Concordance": "search.views.concordance",
    "ConcordanceRequest": "search.views.concordance",
    "KeyTerms": "search.views.keyterms",
    "KeyTermsRequest": "search.views.keyterms",
    "VIEWS": "search.views",
    "FIELDS": "search.fields",
    "Field": "search.fields",
    "ParameterError": "search.fields",
    "parse": "search.query.parser",
    "ParsedQuery": "search.query.tree",
    "StatementsError": "search.errors",
    "InvalidInput": "search.errors",
    "QueryError": "search.errors",
    "IndexUnusable": "search.errors",
    "IndexingError": "search.errors",
    "IndexLocked": "search.errors",
    "ReadError": "search.errors",
    "SETTINGS": "search.config",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
