"""Writing the vocabulary index: every word form the committed statements use."""

from __future__ import annotations

from whoosh.writing import CLEAR

from indexer.writers import COMPOUND, cancel
from search import schema as S
from search.exec import storage
from search.lang.analysis import clean_words


class VocabularyWriter:
    """The corpus's word forms: those the vocabulary index holds, and new ones.

    New words are committed before the statements that use them, so the
    vocabulary always covers every committed statement. A rebuild, once its
    statements are committed, also drops the words no statement uses any
    more, if there are enough of them to matter.
    """

    STALE_SHARE = 0.05  # of the vocabulary, before a rebuild rewrites it

    def __init__(self, ix, rebuild: bool):
        self.ix = ix
        with ix.reader() as reader:
            held = set(storage.vocabulary_words(reader))
        # Every form met so far, clean or raw, so each is cleaned only once.
        self.seen: set[str] = set(held)
        self.new: set[str] = set()
        # A rebuild keeps what the index held and what this run used, to trim.
        self.held = held if rebuild else None
        self.used: set[str] = set()

    def add(self, forms: set[str]) -> None:
        """Takes a statement's word forms (see analysis.word_forms)."""
        if self.held is not None:
            self.used |= forms & self.held
        fresh = forms - self.seen
        if not fresh:
            return
        words = clean_words(fresh) - self.seen
        self.seen |= fresh
        self.seen |= words
        self.new |= words
        if self.held is not None:
            self.used |= words

    def commit(self) -> None:
        """Adds the new words (before the statements' commit)."""
        if self.new:
            self._write(self.new, None)
            self.new = set()

    def trim(self) -> None:
        """After a rebuild's statements are committed: drops unused words."""
        if self.held is None:
            return
        stale = self.held - self.used
        if len(stale) > self.STALE_SHARE * max(len(self.held), 1):
            self._write(self.used, CLEAR)
        self.held = None
        self.used = set()

    def _write(self, words: set[str], mergetype) -> None:
        writer = self.ix.writer(compound=COMPOUND)
        try:
            if words:
                writer.add_document(**{S.WORDS: "\n".join(sorted(words))})
            writer.commit(mergetype=mergetype)
        except BaseException:
            cancel(writer)
            raise
