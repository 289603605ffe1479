"""The analysers' import path in indexes built before search/lang/ existed.

Whoosh pickles each field's analyser into the index's schema by its class's import path;
indexes built then name search.analysis, so the classes stay importable here. New code imports
search.lang.analysis.
"""

# (compatibility module written by the move to sub-packages)
from search.lang.analysis import (  # noqa: F401
    StatementTokenizer, StopFilter, MorphFilter, LetterWordsFilter, LanguageAnalyzer,
)
