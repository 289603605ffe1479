"""`python -m webui`: serve the search pages and the JSON API with waitress."""

from __future__ import annotations

import ipaddress
import logging

import click

from search import config
from search.cli import option, reports_errors

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _address(host: str):
    """The IP address `host` is, or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _is_loopback(host: str) -> bool:
    address = _address(host)
    return host in LOOPBACK_NAMES or (address is not None and address.is_loopback)


@click.command(
    epilog="""Example:

\b
    python -m webui --index index --port 8000
    python -m webui --host 0.0.0.0   # reachable from the network: see docs/configuration.md"""
)
@option(config.INDEX)
@option(config.HOST)
@option(config.PORT)
@option(config.PUBLIC_URL)
@option(config.THREADS)
@option(config.WORKERS)
@reports_errors
def main(index_dir, host, port, public_url, threads, workers):
    """Serve the statement search on HOST:PORT (read-only; follows new index commits)."""
    from whoosh import index as whoosh_index

    from webui import create_app
    from webui.serve import listen, serve
    from webui.exports import slots_for
    from webui.index_holder import warm_up
    from webui.public_url import parse as parse_public_url

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("pymorphy3").setLevel(logging.WARNING)  # (each worker loads the dictionaries)
    if not whoosh_index.exists_in(index_dir):
        click.echo(f"note: there is no index in the folder {index_dir} yet; searches will answer 503 "
                   "until `python -m indexer` builds one.", err=True)
    if not _is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can search "
            "the index (the server is read-only).", err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    if public_url:
        parse_public_url(public_url)  # (a bad address stops the server before it starts)
    elif (address := _address(host)) is not None and address.is_unspecified:
        click.echo("warning: listening on every interface without --public-url: absolute links "
                   "in the JSON and the feeds take each request's Host header.", err=True)
    else:
        public_url = f"http://{shown}:{port}"
        click.echo(f"note: absolute links in the JSON and the feeds point at {public_url}/; behind a "
                   "proxy or a tunnel, give the address people use with --public-url.", err=True)
    try:
        sock = listen(host, port)
    except OSError as err:
        other = port + 1 if port < 65535 else 8000
        raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror}; is another "
                                   f"server running there? Try another port: --port {other} "
                                   f"(make run PORT={other}).")

    def make_app():
        app = create_app({"INDEX_DIR": index_dir, "PUBLIC_URL": public_url,
                          "EXPORT_SLOTS": slots_for(threads)})
        warm_up(app)
        return app

    click.echo(f"Searching {index_dir} at http://{shown}:{port}/ with {workers} worker "
               f"process{'es' if workers > 1 else ''}  (Ctrl+C stops)")
    serve(make_app, sock, threads, workers)


if __name__ == "__main__":
    main(prog_name="python -m webui")
