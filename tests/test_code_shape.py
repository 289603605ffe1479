"""The code's shape, kept by a test rather than by memory: each module holds one job in
under about 400 lines, and the layers import one way (webui and indexer read search;
search reads neither; webui never reaches the indexer, so it can never open a writer)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("search", "indexer", "webui", "bench")
MAX_LINES = 400
# What each package may not import (its modules, at any depth, wherever the import stands).
FORBIDDEN = {"search": {"indexer", "webui", "bench"}, "indexer": {"webui", "bench"},
             "webui": {"indexer", "bench"}}


def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "work" not in p.relative_to(ROOT).parts)


def imported(path: Path) -> set[str]:
    """The top-level packages a module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_module_stays_under_400_lines():
    long = {str(p.relative_to(ROOT)): n for package in PACKAGES for p in modules(package)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these by what they hold: {long}"


@pytest.mark.parametrize("package", FORBIDDEN)
def test_the_layers_import_one_way(package):
    wrong = {str(p.relative_to(ROOT)): sorted(imported(p) & FORBIDDEN[package]) for p in modules(package)}
    assert {k: v for k, v in wrong.items() if v} == {}
    assert any(imported(p) for p in modules(package))  # (the walk reads them)
