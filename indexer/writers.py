"""How the indexer opens and abandons Whoosh writers, shared by the statements
and the vocabulary."""

from __future__ import annotations

import tempfile
from pathlib import Path

WRITER_MEMORY_MB = 256
# One file per segment part, not one compound file: Whoosh reads a compound
# file's parts into memory for every open searcher, which costs the server
# gigabytes on a large index; separate files are mapped and shared.
COMPOUND = False


def check_writable(index_dir: Path) -> None:
    """Raises OSError unless files can be created in the index directory.

    Checked before Whoosh opens a writer: a writer that fails while it starts
    keeps Whoosh's lock file locked for as long as the process lives.
    """
    with tempfile.TemporaryFile(dir=index_dir):
        pass


def cancel(writer) -> None:
    try:
        writer.cancel()
    except Exception:  # best effort: the last commit is intact either way
        pass
