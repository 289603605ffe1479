"""Facet values as people read them, for the search's and the trend's filter chips."""

from __future__ import annotations

from search.fields import LANGUAGE
from search.lang.table import LANGUAGE_NAMES


def value_label(f, value) -> str:
    """A facet value as people read it: a language by its name, an entity
    (a country or organisation mentioned) by its English name."""
    if f.kind == LANGUAGE:
        return LANGUAGE_NAMES.get(value, value)
    if f.value_names is not None:
        return f.value_names(str(value)).get("en", str(value))
    return str(value)
