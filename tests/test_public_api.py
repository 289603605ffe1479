"""The library's public API: every name in `search.__all__` resolves, and the
Python example of docs/query-syntax.md runs as written."""

from __future__ import annotations

import re
import search
from tests.docs_tools import doc


def test_every_exported_name_resolves():
    missing = [name for name in search.__all__ if getattr(search, name, None) is None]
    assert missing == []
    assert search.SearchIndex.__module__ == "search.engine"


def test_the_documented_python_example_runs(index_dir, capsys):
    block = re.search(r"From Python:\n\n```python\n(.*?)```", doc("query-syntax.md"), re.S)
    assert block, "docs/query-syntax.md has a Python example"
    code = block.group(1).replace('SearchIndex("index")', f"SearchIndex({str(index_dir)!r})")
    exec(compile(code, "documented example", "exec"), {})
    printed = capsys.readouterr().out
    assert "<mark>" in printed
