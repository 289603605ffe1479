"""The documentation as the tests read it: the README and the pages of docs/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def doc(name: str) -> str:
    """The text of README.md (`doc("README.md")`) or of one page of docs/ (`doc("api.md")`)."""
    path = README if name == "README.md" else DOCS / name
    return path.read_text(encoding="utf-8")


def doc_pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def all_docs() -> str:
    """The README and every page of docs/, one after the other."""
    return "\n".join(p.read_text(encoding="utf-8") for p in [README, *doc_pages()])


def section(name: str, heading: str) -> str:
    """The text under `## heading` of a page, up to its next `## ` heading."""
    return doc(name).split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def docs_links(text: str) -> list[str]:
    """The docs/ paths the Markdown links of a text point to, without anchors."""
    return [m.split("#", 1)[0] for m in re.findall(r"\]\((docs/[^)\s]+)\)", text)]
