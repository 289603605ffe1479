"""One error handler: a JSON error object for the API, a page for people.

Nothing is ever shown as a traceback; unexpected errors are logged and
reported as a plain 500. The requests the WSGI server refuses before the app
sees them (see serve.py) come here too, so they are answered the same way.
"""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search.errors import StatementsError
from search.query.parser import MAX_QUERY_CHARS

API_PREFIX = "/api"
# The WSGI environ key under which the server hands over a request it refused
# (an HTTPException), for this handler to answer.
REFUSED_BY_SERVER = "statements.refused"


def is_api_path(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def wants_json() -> bool:
    return is_api_path(request.path)


def _error(status: int, code: str, message: str, headers=()):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message}})
    else:
        # (the header's search box keeps what was asked, to be mended and sent again)
        typed = request.args.get("q", "")[:MAX_QUERY_CHARS]
        response = make_response(render_template("error.html", status=status, code=code,
                                                 message=message, typed=typed))
    response.status_code = status
    response.headers.extend(headers)
    return response


def init_app(app: Flask) -> None:
    @app.before_request
    def refused_by_server():
        refused = request.environ.get(REFUSED_BY_SERVER)
        if refused is not None:
            raise refused

    @app.before_request
    def api_options():
        # Flask's automatic OPTIONS answer is an empty text/html body.
        if request.method == "OPTIONS" and wants_json() and request.routing_exception is None:
            methods = sorted(app.url_map.bind_to_environ(request.environ).allowed_methods())
            response = jsonify({"allow": methods})
            response.headers["Allow"] = ", ".join(methods)
            return response
        return None

    @app.errorhandler(StatementsError)
    def known_error(err: StatementsError):
        # Each error of the project's family carries its own status and code.
        retry = getattr(err, "retry_after", None)
        return _error(err.http_status, err.code, str(err),
                      [("Retry-After", str(retry))] if retry else ())

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        code = (err.name or "error").lower().replace(" ", "_")
        # Keep what the error says in its headers (Allow on a 405), not its body's type.
        headers = [(k, v) for k, v in err.get_headers() if k.lower() != "content-type"]
        return _error(err.code or 500, code, err.description or err.name, headers)

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return _error(500, "internal_error", InternalServerError.description)
