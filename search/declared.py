"""The facets a corpus declares (its `statements.toml`), as the index keeps them.

The indexer writes the declarations it built the index with to a JSON file
beside the index; an index opened for searching reads that file into its own
registry (search.registry), where each facet is a filter of the API, the query
syntax, the CLI (`--facet NAME=VALUE`) and the sidebar. The collection (the
top folder, or the declared `collection`) is always one.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from search.errors import IndexUnusable

DECLARED_FILE = "declared.json"
KINDS = ("keyword", "integer")


@dataclass(frozen=True)
class Declared:
    """One declared facet: the metadata key it counts, its label, its kind."""

    name: str
    label: str
    kind: str = "keyword"  # or "integer"
    multi: bool = False  # a statement may have several values (a list)

    def shape(self) -> tuple:
        """What the index's fields depend on: a change of it needs a rebuild (a label does not)."""
        return (self.name, self.kind, self.multi)

    def describe(self) -> str:
        return f"{self.name} ({self.kind}{', multi-valued' if self.multi else ''})"


COLLECTION = Declared("collection", "Collection")


def with_collection(facets) -> tuple[Declared, ...]:
    """The facets with the collection first, declared or not."""
    facets = tuple(facets)
    if any(d.name == COLLECTION.name for d in facets):
        return facets
    return (COLLECTION, *facets)


def read(index_dir) -> tuple[Declared, ...] | None:
    """The declarations an index was built with; None when it has none written."""
    path = Path(index_dir) / DECLARED_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(Declared(**d) for d in data["facets"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise IndexUnusable(f"its declared facets ({DECLARED_FILE}) cannot be read: {err}") from None


def read_credits(index_dir) -> str | None:
    """The corpus's credits line (its sources and their licences), as the index keeps it."""
    try:
        data = json.loads((Path(index_dir) / DECLARED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    credits = data.get("credits") if isinstance(data, dict) else None
    return credits if isinstance(credits, str) and credits else None


def write(index_dir, facets, credits: str | None = None) -> None:
    """Writes the declarations (and the credits) beside the index, whole or not at all."""
    path = Path(index_dir) / DECLARED_FILE
    tmp = path.with_name(f".{DECLARED_FILE}.tmp")
    body = {"facets": [asdict(d) for d in facets], "credits": credits}
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
