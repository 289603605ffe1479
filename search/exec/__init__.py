"""Running a query on an open index: per-thread snapshots of one commit, segment readers
and columns, matching on numpy arrays, BM25F, proximity, facets, snippets, the vocabulary
and suggestions. Returns dataclasses, never Whoosh objects."""
