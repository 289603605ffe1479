"""Reads the corpus and keeps the search index up to date."""
