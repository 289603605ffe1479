"""The corpus's settings file (`statements.toml`): which metadata fields are facets.

Read and checked before a run writes anything; a bad file stops the run with
the reason (the index keeps its last commit). The declarations are compared
with those the index was built with: a new label is only written down, a
facet added, removed or of another kind needs `--rebuild`, and the run says so.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from search import declared as D
from search.errors import IndexingError
from search.fields import RESERVED

SETTINGS_FILE = "statements.toml"
NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
KEYS = {"name", "label", "kind", "multi"}
MAX_LABEL = 100  # characters of a facet's label (every page shows it)


def read_settings(corpus: Path) -> tuple[D.Declared, ...]:
    """The facets `corpus/statements.toml` declares, the collection first; raises
    IndexingError naming the file and the fault."""
    path = Path(corpus) / SETTINGS_FILE
    if not path.is_file():
        return D.with_collection(())
    try:
        # (utf-8-sig: a byte-order mark, as Windows editors write, is not a fault)
        settings = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise IndexingError(f"{path}: cannot be read: {err}") from None
    except RecursionError:
        raise IndexingError(f"{path}: cannot be read: nested too deep") from None
    unknown = set(settings) - {"facet"}
    if unknown:  # ([facets.issuer] instead of [[facet]], say: never ignored silently)
        raise IndexingError(f"{path}: unknown keys {', '.join(sorted(unknown))}; declare each "
                            'facet as a [[facet]] table with name = "…" and label = "…"')
    facets, seen = [], set()
    entries = settings.get("facet", [])
    if not isinstance(entries, list):
        raise IndexingError(f"{path}: [[facet]] entries expected, each a table")
    for n, entry in enumerate(entries, 1):
        facet = _facet(entry, f"{path}: facet {n}")
        if facet.name in seen:
            raise IndexingError(f"{path}: facet {n}: {facet.name!r} is declared twice")
        seen.add(facet.name)
        facets.append(facet)
    return D.with_collection(facets)


def _facet(entry, where: str) -> D.Declared:
    if not isinstance(entry, dict):
        raise IndexingError(f"{where}: a table expected ([[facet]])")
    unknown = set(entry) - KEYS
    if unknown:
        raise IndexingError(f"{where}: unknown keys {', '.join(sorted(unknown))} "
                            f"(a facet takes {', '.join(sorted(KEYS))})")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise IndexingError(f"{where}: name must be lower-case letters, digits and _ ({name!r})")
    if name in RESERVED:
        raise IndexingError(f"{where}: {name!r} is a filter of the search itself; choose another name")
    label = entry.get("label", name.replace("_", " ").capitalize())
    kind = entry.get("kind", "keyword")
    multi = entry.get("multi", False)
    if not isinstance(label, str) or not label.strip() or len(label.strip()) > MAX_LABEL:
        raise IndexingError(f"{where} ({name}): label must be text of 1 to {MAX_LABEL} characters")
    if kind not in D.KINDS:
        raise IndexingError(f"{where} ({name}): kind must be one of {', '.join(D.KINDS)} ({kind!r})")
    if not isinstance(multi, bool):
        raise IndexingError(f"{where} ({name}): multi must be true or false ({multi!r})")
    return D.Declared(name, label.strip(), kind, multi)


def changes(built: tuple[D.Declared, ...], wanted: tuple[D.Declared, ...]) -> list[str]:
    """How the facets that need a rebuild differ: added, removed, another kind."""
    old = {d.name: d for d in built}
    new = {d.name: d for d in wanted}
    out = [f"{new[n].describe()} added" for n in new if n not in old]
    out += [f"{old[n].describe()} removed" for n in old if n not in new]
    out += [f"{n} is now {new[n].describe()}, was {old[n].describe()}"
            for n in new if n in old and new[n].shape() != old[n].shape()]
    return out


def check_against_index(index_dir: Path, has_statements: bool, wanted, rebuild: bool) -> bool:
    """Whether a run may go on with `wanted` over the index in `index_dir`; raises
    IndexingError saying why a rebuild is needed. True when only labels changed."""
    built = D.read(index_dir)
    built = D.with_collection(built or ())
    if rebuild or not has_statements:
        return False
    differ = changes(built, wanted)
    if differ:
        raise IndexingError(
            f"the facets declared in {SETTINGS_FILE} are not those the index in {index_dir} was "
            f"built with ({'; '.join(differ)}): every statement's facet fields must be written "
            "again; run `python -m indexer --rebuild`")
    return built != tuple(wanted)
