"""The README and docs/ stay in step: every docs/ page the README links exists
and every page is linked from it, links between pages resolve (each anchor a
heading of its page), the screenshot is there, and every file format the
indexer reads is named in the README and in docs/adding-statements.md."""

from __future__ import annotations

import re

from indexer.formats import RECORD_SUFFIXES, TEXT_READERS
from tests.docs_tools import DOCS, ROOT, doc, doc_pages, docs_links


def test_every_docs_link_of_the_readme_resolves_and_every_page_is_linked():
    linked = docs_links(doc("README.md"))
    missing = [link for link in linked if not (ROOT / link).is_file()]
    assert missing == [], f"the README links docs/ files that do not exist: {missing}"
    pages = {f"docs/{p.name}" for p in doc_pages()}
    unlinked = sorted(pages - set(linked))
    assert unlinked == [], f"docs/ pages the README does not link: {unlinked}"


def test_links_between_docs_pages_resolve():
    for page in doc_pages():
        for target in re.findall(r"\]\(([^)\s#]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).resolve().is_file(), f"{page.name} links {target}"


def test_the_readme_shows_the_committed_screenshot():
    assert "](docs/search.png)" in doc("README.md")
    screenshot = DOCS / "search.png"
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size < 300_000


def test_every_format_the_indexer_reads_is_named_in_adding_statements():
    text = doc("adding-statements.md")
    unnamed = sorted(s for s in set(TEXT_READERS) | RECORD_SUFFIXES if f"`{s}`" not in text)
    assert unnamed == [], f"docs/adding-statements.md does not name {unnamed}"


def test_every_format_the_indexer_reads_is_named_in_the_readme():
    text = doc("README.md")
    unnamed = sorted(s for s in set(TEXT_READERS) | RECORD_SUFFIXES if f"`{s}`" not in text)
    assert unnamed == [], f"README.md does not name {unnamed}"


def anchors(text: str) -> set[str]:
    """The anchors a Markdown page's headings get: lower case, punctuation dropped, spaces as -."""
    headings = re.findall(r"^#{1,6} (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_every_anchor_of_a_link_is_a_heading():
    pages = {"README.md": ROOT / "README.md", **{f"docs/{p.name}": p for p in doc_pages()}}
    for name, page in pages.items():
        for target, anchor in re.findall(r"\]\(([^)\s#]*)#([^)\s]+)\)", page.read_text(encoding="utf-8")):
            linked = (page.parent / target).resolve() if target else page
            assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{name} links {target}#{anchor}"


def test_the_commands_docs_name_are_installed_and_answer_help():
    """Each console script the configuration page names runs from the environment's bin folder."""
    import subprocess
    import sys
    import tomllib
    from pathlib import Path

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    text = doc("configuration.md")
    assert len(scripts) == 3
    for name, target in scripts.items():
        assert f".venv/bin/{name}" in text
        module = target.split(":")[0].split(".")[0]
        assert f"python -m {module}" in text
        done = subprocess.run([str(Path(sys.executable).parent / name), "--help"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert f"Usage: {name}" in done.stdout and "--index" in done.stdout
