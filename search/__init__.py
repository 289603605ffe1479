"""Statement search library: analysis, schema, queries, facets, snippets."""
