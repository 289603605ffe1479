"""The short form of the stress check (bench/stress.py): tens of commits with
merges and a rebuild, every answer of the library and the server checked."""

from __future__ import annotations

import urllib.parse

from bench.stress import prepare, run
from tests.fixtures_web import running_server

STATEMENTS = 40


def test_every_answer_during_churn_is_a_committed_state(tmp_path):
    prepare(tmp_path, STATEMENTS)
    with running_server(tmp_path / "index") as url:
        port = int(urllib.parse.urlsplit(url).port)
        stats = run(tmp_path, port, STATEMENTS, commits=50)
    print(stats)
    assert stats["commits"] >= 50 and stats["merges"] >= 1, stats
    assert stats["answers_checked"] >= 50, stats
