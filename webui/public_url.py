"""The server's public address: absolute links (the JSON's `links`, the feeds)
are built from it, never from a request's Host header, which any client sets
(a feed reader or a cache would then keep links to the client's own host)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask

from search.errors import InvalidInput

CONFIG_KEY = "PUBLIC_URL"


def parse(url: str) -> tuple[str, str, str]:
    """(scheme, host[:port], path prefix) of a public address; raises InvalidInput."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment \
            or "@" in parts.netloc:
        raise InvalidInput(f"the public address {url!r} is not an http or https address "
                           "without a query (https://example.org or https://example.org/statements)")
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


def init_app(app: Flask) -> None:
    """Every request is answered as if made to the public address, when one is set."""
    url = app.config.get(CONFIG_KEY)
    if not url:
        return
    scheme, host, prefix = parse(url)
    inner = app.wsgi_app

    def at_public_address(environ, start_response):
        environ["HTTP_HOST"] = host
        environ["wsgi.url_scheme"] = scheme
        if prefix:
            environ["SCRIPT_NAME"] = prefix
            path = environ.get("PATH_INFO", "")
            if path == prefix or path.startswith(prefix + "/"):  # (a proxy that keeps the prefix)
                environ["PATH_INFO"] = path[len(prefix):] or "/"
        return inner(environ, start_response)

    app.wsgi_app = at_public_address
