"""User text → query tree → Whoosh query: lexing, parsing, raw Whoosh syntax, building,
phrase positions. Testable without an index."""
