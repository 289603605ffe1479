"""The command-line tools: every option says what it does (the search's options
from the parameter table), and click is imported by the command-line modules alone."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest

from indexer.__main__ import main as indexer_cli
from search import fields
from search.__main__ import export_main as export_cli
from search.__main__ import main as search_cli
from webui.__main__ import main as webui_cli

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"search": search_cli, "search export": export_cli, "indexer": indexer_cli,
            "webui": webui_cli}
CLI_MODULES = {"search/cli.py", "search/__main__.py", "indexer/__main__.py", "webui/__main__.py"}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help(name):
    options = [p for p in COMMANDS[name].params if isinstance(p, click.Option)]
    assert options
    silent = [p.opts[0] for p in options if not (p.help or "").strip()]
    assert silent == [], f"python -m {name}: options without help: {silent}"


def test_the_search_options_say_what_the_api_says():
    by_flag = {p.opts[0]: p for p in search_cli.params if isinstance(p, click.Option)}
    for flag, param in {"--limit": fields.PER_PAGE, "--page": fields.PAGE, "--sort": fields.SORT,
                        "--raw": fields.RAW}.items():
        assert by_flag[flag].help == param.help
    assert by_flag["--page"].type.max == fields.PAGE.bounds[1]
    assert by_flag["--limit"].type.max == fields.MAX_PER_PAGE
    assert list(by_flag["--sort"].type.choices) == list(fields.SORT.choices)


def _imports_click(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "click" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "click":
            return True
    return False


def test_only_the_command_line_modules_import_click():
    found = {str(p.relative_to(ROOT)) for package in ("search", "indexer", "webui")
             for p in (ROOT / package).rglob("*.py") if _imports_click(p)}
    assert found - CLI_MODULES == set()
    assert "search/cli.py" in found  # (the walk finds them)


def test_export_is_a_command_of_python_m_search():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "search", "export", "--help"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Usage: python -m search export" in done.stdout and "--format" in done.stdout
