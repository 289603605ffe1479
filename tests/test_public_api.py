"""The library's public API: every name in `search.__all__` resolves, and the
README's Python example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import search

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_exported_name_resolves():
    missing = [name for name in search.__all__ if getattr(search, name, None) is None]
    assert missing == []
    assert search.SearchIndex.__module__ == "search.engine"


def test_the_readme_python_example_runs(index_dir, capsys):
    block = re.search(r"From Python:\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert block, "the README has a Python example"
    code = block.group(1).replace('SearchIndex("index")', f"SearchIndex({str(index_dir)!r})")
    exec(compile(code, "README example", "exec"), {})
    printed = capsys.readouterr().out
    assert "<mark>" in printed
