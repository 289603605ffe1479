"""Settings shared by the command-line tools and the web app, declared once.

Each setting is read from a command-line flag, then from its environment
variable, then falls back to its default.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: object
    help: str


INDEX = Setting("STATEMENTS_INDEX", "index", "Index directory.")
CORPUS = Setting("STATEMENTS_CORPUS", "corpus", "Corpus directory (the statements).")
PROCS = Setting("STATEMENTS_PROCS", 1, "Indexing processes.")
MAX_FILE_MB = Setting("STATEMENTS_MAX_FILE_MB", 50, "Largest file to index, in megabytes.")
HOST = Setting("STATEMENTS_HOST", "127.0.0.1", "Address to listen on.")
PORT = Setting("STATEMENTS_PORT", 8000, "Port to listen on.")
THREADS = Setting("STATEMENTS_THREADS", 8, "Web server threads per worker process.")
WORKERS = Setting("STATEMENTS_WORKERS", 2, "Web server worker processes (each uses a core).")
