"""Words and languages: the table of languages, the analysers (pickled into the index
schema: stable import paths), folding, lemmas and stems, a text's language, and the
names, resolutions and spelling candidates read from text. Nothing here opens an index."""
