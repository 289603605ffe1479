"""SQLite FTS5 from the standard library: the `porter unicode61` tokenizer, bm25().

Metadata lives in ordinary side tables; facets are GROUP BY queries over the
matching statements, collected once per search into a temporary table. The
joins start from that table (CROSS JOIN fixes the order): it has no
statistics, and the planner would otherwise scan the side tables whole.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.engines.base import HITS, TOP_NUMBERS, TOP_YEARS, Engine, Outcome, Session
from bench.engines.documents import read_documents, year_key_range
from bench.queries import Query, render

DATABASE = "statements.sqlite"
TITLE_WEIGHT = 2.5  # as our title boost

SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61');
CREATE TABLE meta(doc INTEGER PRIMARY KEY, id TEXT, date TEXT, datekey INTEGER,
                  year INTEGER, month INTEGER);
CREATE TABLE langs(doc INTEGER, lang TEXT);
CREATE TABLE numbers(doc INTEGER, value INTEGER, is_year INTEGER);
"""
INDEXES = """
CREATE INDEX meta_datekey ON meta(datekey);
CREATE INDEX langs_doc ON langs(doc, lang);
CREATE INDEX numbers_doc ON numbers(doc, is_year, value);
CREATE INDEX numbers_value ON numbers(value, doc);
"""


def match_text(query: Query) -> str:
    """The query in FTS5 syntax; every word quoted, so none is read as an operator."""
    return render(
        query.root,
        word=lambda w: f'"{w}"',
        phrase=lambda p: f'"{p}"',
        and_=lambda pos, neg: "(" + " AND ".join(pos) + ")" + "".join(f" NOT {n}" for n in neg),
        or_=lambda items: "(" + " OR ".join(items) + ")",
        not_=lambda item: f"NOT {item}",  # FTS5 has only binary NOT; the mix never needs this
    )


class SqliteSession(Session):
    def __init__(self, index: Path):
        self.db = sqlite3.connect(index / DATABASE)
        self.db.execute("CREATE TEMP TABLE hits(doc INTEGER PRIMARY KEY)")

    def _where(self, query: Query) -> tuple[str, list]:
        """The matching statements: the full-text match drives, filters are lookups."""
        sql, args = "fts MATCH ?", [match_text(query)]
        if query.year_from is not None:
            sql += (" AND EXISTS (SELECT 1 FROM meta WHERE meta.doc = fts.rowid"
                    " AND meta.datekey BETWEEN ? AND ?)")
            args += list(year_key_range(query))
        if query.number is not None:
            sql += (" AND EXISTS (SELECT 1 FROM numbers WHERE numbers.doc = fts.rowid"
                    " AND numbers.value = ?)")
            args.append(query.number)
        return sql, args

    def search(self, query: Query) -> Outcome:
        db = self.db
        where, args = self._where(query)
        db.execute("DELETE FROM temp.hits")
        db.execute(f"INSERT INTO temp.hits SELECT rowid FROM fts WHERE {where}", args)
        total = db.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
        # Rank first, then make snippets for the page only: in one query with
        # ORDER BY, SQLite would make a snippet for every match.
        top = db.execute(f"SELECT rowid FROM fts WHERE {where} "
                         f"ORDER BY bm25(fts, {TITLE_WEIGHT}, 1.0) LIMIT {HITS}", args).fetchall()
        page = [
            db.execute("SELECT meta.id, fts.title, meta.date, "
                       "snippet(fts, 1, '<mark>', '</mark>', '…', 32) "
                       "FROM fts JOIN meta ON meta.doc = fts.rowid "
                       "WHERE fts MATCH ? AND fts.rowid = ?", (args[0], doc)).fetchone()
            for (doc,) in top
        ]
        facets = [
            db.execute("SELECT year, month, count(*) FROM temp.hits CROSS JOIN meta USING(doc) "
                       "WHERE year > 0 GROUP BY year, month ORDER BY year DESC, month").fetchall(),
            db.execute("SELECT lang, count(*) FROM temp.hits CROSS JOIN langs USING(doc) "
                       "GROUP BY lang").fetchall(),
        ]
        for is_year, limit in ((0, TOP_NUMBERS), (1, TOP_YEARS)):
            facets.append(db.execute(
                "SELECT value, count(*) AS n FROM temp.hits CROSS JOIN numbers USING(doc) "
                "WHERE is_year = ? GROUP BY value ORDER BY n DESC, value LIMIT ?",
                (is_year, limit)).fetchall())
        years = {row[0] for row in facets[0]}
        return Outcome(
            total=total,
            hits=len(page),
            snippets=sum(1 for row in page if row and row[3]),
            facet_values=len(years) + sum(len(f) for f in facets[1:]),
        )

    def close(self) -> None:
        self.db.close()


class SqliteFts5(Engine):
    name = "sqlite"
    description = "SQLite FTS5 (porter unicode61 tokenizer, bm25, snippet, GROUP BY facets)"

    def build(self, corpus: Path, index: Path, procs: int = 1, rebuild: bool = True) -> int:
        index.mkdir(parents=True, exist_ok=True)
        path = index / DATABASE
        path.unlink(missing_ok=True)
        db = sqlite3.connect(path)
        db.executescript(SCHEMA)
        count = 0
        for doc in read_documents(corpus):  # one transaction: Python's sqlite3 opens it
            count += 1
            db.execute("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                       (count, doc.title, doc.body))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
                       (count, doc.id, doc.date, doc.datekey, doc.year, doc.month))
            db.executemany("INSERT INTO langs VALUES (?, ?)", [(count, lang) for lang in doc.langs])
            db.executemany("INSERT INTO numbers VALUES (?, ?, ?)",
                           [(count, n, 0) for n in doc.numbers] + [(count, y, 1) for y in doc.years])
        db.commit()
        db.executescript(INDEXES)
        db.close()
        return count

    def open(self, index: Path) -> Session:
        return SqliteSession(index)
