"""`python -m webui`: serve the search pages and the JSON API with waitress."""

from __future__ import annotations

import ipaddress
import logging

import click

from search import config
from search.cli import reports_errors
from search.config import option

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command(
    epilog="""Example:

\b
    python -m webui --index index --port 8000
    python -m webui --host 0.0.0.0   # reachable from the network: see the README"""
)
@option(config.INDEX)
@option(config.HOST)
@option(config.PORT)
@option(config.THREADS)
@option(config.WORKERS)
@reports_errors
def main(index_dir, host, port, threads, workers):
    """Serve the statement search on HOST:PORT (read-only; follows new index commits)."""
    from whoosh import index as whoosh_index

    from webui import create_app
    from webui.serve import listen, serve
    from webui.index_holder import warm_up

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not whoosh_index.exists_in(index_dir):
        click.echo(f"note: there is no index in {index_dir} yet; searches will answer 503 "
                   "until `python -m indexer` builds one.", err=True)
    if not _is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can search "
            "the index (the server is read-only).", err=True,
        )
    try:
        sock = listen(host, port)
    except OSError as err:
        raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror}; "
                                   "is another server running there? Try --port.")

    def make_app():
        app = create_app({"INDEX_DIR": index_dir})
        warm_up(app)
        return app

    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Searching {index_dir} at http://{shown}:{port}/ with {workers} worker "
               f"process{'es' if workers > 1 else ''}  (Ctrl+C stops)")
    serve(make_app, sock, threads, workers)


if __name__ == "__main__":
    main(prog_name="python -m webui")
