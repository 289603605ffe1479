"""Shared fixtures: a real corpus and a real index on disk, built once per session.

The test corpus is the shipped `corpus/` plus `tests/data/statements/` and
one generated long statement (over 100 KB, with its match near the end).
"""

from __future__ import annotations

import fcntl
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


def built_once(tmp_path_factory, name: str, build) -> Path:
    """A folder `build(folder)` fills, made once per run.

    Under pytest-xdist the workers share it: the first to ask builds it while
    the others wait on a lock, so the session index is built once, not once
    per worker. Tests only read it.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        where = tmp_path_factory.mktemp(name)
        build(where)
        return where
    shared = tmp_path_factory.getbasetemp().parent  # this run's, above each worker's own
    where, done = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(where, ignore_errors=True)  # (left by a worker that failed building it)
            where.mkdir()
            build(where)
            done.touch()
    return where


def _copy_corpus(root: Path) -> None:
    shutil.copytree(ROOT / "corpus", root, dirs_exist_ok=True)
    shutil.copytree(DATA / "statements", root / "tests", dirs_exist_ok=True)
    write_long_statement(root / LONG_ID)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    """A copy of the test corpus (tests may not change it)."""
    return built_once(tmp_path_factory, "corpus", _copy_corpus)


@pytest.fixture(scope="session")
def index_dir(corpus_dir, tmp_path_factory) -> Path:
    """The index of corpus_dir (tests may not change it)."""
    from indexer.build import update_index

    def build(where: Path) -> None:
        summary = update_index(corpus_dir, where)
        assert summary.problems == [], summary.problems

    return built_once(tmp_path_factory, "index", build)


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


# Under pytest-xdist (`make test`: --dist loadscope --no-loadscope-reorder) the
# workers take whole modules in this order. The longest modules start first so
# that the workers finish together, and the one that needs the session index
# comes second: one worker builds the index while the other runs the benchmark
# smoke test, which does not need it. The rest keep their usual order.
FIRST_UNDER_XDIST = ("test_bench.py", "test_search.py", "test_faults.py")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return
    rank = {name: n for n, name in enumerate(FIRST_UNDER_XDIST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # (a stable sort)
