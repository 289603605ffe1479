"""Shared fixtures: a real corpus and a real index on disk, built once per session.

The test corpus is the shipped `corpus/` plus `tests/data/statements/` and
one generated long statement (over 100 KB, with its match near the end).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests try the same examples on every run, so a clean clone never
# meets a new failing case by chance; HYPOTHESIS_PROFILE=explore draws afresh
# (and a case it finds belongs in an @example).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

# The real server and Chromium fixtures (server, browser, page).
pytest_plugins = ["tests.fixtures_web"]

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

LONG_ID = "generated/long-statement.txt"
LONG_NEEDLE = "Kazbegi"  # appears once, after 100 KB of text


def write_long_statement(path: Path) -> None:
    filler = (
        "The Assembly continued its general debate on sustainable development, "
        "climate finance and the reform of the international financial architecture. "
    )
    paragraphs = [filler * 8 for _ in range(90)]
    paragraphs.append(f"Finally, the delegation thanked the people of {LONG_NEEDLE} for their hospitality.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Long statement on development\n\n" + "\n\n".join(paragraphs), encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    """A copy of the test corpus (tests may not change it)."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "corpus", root, dirs_exist_ok=True)
    shutil.copytree(DATA / "statements", root / "tests", dirs_exist_ok=True)
    write_long_statement(root / LONG_ID)
    return root


@pytest.fixture(scope="session")
def index_dir(corpus_dir, tmp_path_factory) -> Path:
    from indexer.build import update_index

    where = tmp_path_factory.mktemp("index")
    summary = update_index(corpus_dir, where)
    assert summary.problems == [], summary.problems
    return where


@pytest.fixture(scope="session")
def search_index(index_dir):
    from search.engine import SearchIndex

    index = SearchIndex(index_dir)
    yield index
    index.close()


@pytest.fixture
def app(index_dir):
    from webui import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
