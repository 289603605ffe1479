"""Runs the indexer's command line with one step replaced by "do it, then die"
(or "die before doing it"): a SIGKILL at an exact point of a run.

    python -m tests.crash_harness POINT [indexer options...]
"""

import os
import signal
import sys


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str) -> None:
    """Patches the step named `point` to die there."""
    if point == "vocabulary-created":
        # The first run has created the vocabulary index, not yet the statements index.
        import whoosh.index as wi
        create_in = wi.create_in

        def patched(dirname, schema, indexname=None):
            ix = create_in(dirname, schema, indexname=indexname) if indexname else create_in(dirname, schema)
            if indexname == "VOCAB":
                die()
            return ix

        wi.create_in = patched
    elif point == "statements-created":
        # Both indexes exist; nothing is committed yet.
        import whoosh.index as wi
        create_in = wi.create_in

        def patched(dirname, schema, indexname=None):
            ix = create_in(dirname, schema, indexname=indexname) if indexname else create_in(dirname, schema)
            if not indexname:
                die()
            return ix

        wi.create_in = patched
    elif point == "between-commits":
        # The vocabulary of a batch is committed, its statements are not.
        from indexer.vocabulary import VocabularyWriter
        commit = VocabularyWriter.commit

        def patched(self):
            commit(self)
            die()

        VocabularyWriter.commit = patched
    elif point == "segment-written":
        # A new segment's files are on disk; the table of contents naming it is not.
        from whoosh.writing import SegmentWriter
        commit_toc = SegmentWriter._commit_toc

        def patched(self, segments):
            if self.indexname == "MAIN":
                die()
            return commit_toc(self, segments)

        SegmentWriter._commit_toc = patched
    elif point == "toc-written":
        # The new table of contents is written to a temporary file, not yet renamed.
        from whoosh.filedb.filestore import FileStorage
        rename_file = FileStorage.rename_file

        def patched(self, frm, to, safe=False):
            if frm.startswith("_MAIN_") and ".toc." in frm:
                die()
            return rename_file(self, frm, to, safe)

        FileStorage.rename_file = patched
    elif point == "first-commit-made":
        # The statements index's first commit is whole (its table of contents in place).
        from whoosh.filedb.filestore import FileStorage
        rename_file = FileStorage.rename_file

        def patched(self, frm, to, safe=False):
            rename_file(self, frm, to, safe)
            if to.startswith("_MAIN_") and to.endswith(".toc") and to != "_MAIN_0.toc":  # (0: created)
                die()

        FileStorage.rename_file = patched
    else:
        raise SystemExit(f"unknown point {point}")


if __name__ == "__main__":
    arm(sys.argv[1])
    sys.argv = ["python -m indexer"] + sys.argv[2:]
    from indexer.__main__ import main

    main(prog_name="python -m indexer")
