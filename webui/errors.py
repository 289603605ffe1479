"""One error handler: a JSON error object for the API, a page for people.

Nothing is ever shown as a traceback; unexpected errors are logged and
reported as a plain 500.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search.errors import StatementsError


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def _error(status: int, code: str, message: str):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message}})
        response.status_code = status
        return response
    return render_template("error.html", status=status, code=code, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(StatementsError)
    def known_error(err: StatementsError):
        # Each error of the project's family carries its own status and code.
        return _error(err.http_status, err.code, str(err))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        code = (err.name or "error").lower().replace(" ", "_")
        return _error(err.code or 500, code, err.description or err.name)

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return _error(500, "internal_error", InternalServerError.description)
