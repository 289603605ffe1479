"""The web interface and JSON API over the search library.

`create_app()` builds the Flask application; `python -m webui` serves it
with a production WSGI server. The app only reads the index: it never opens
a writer, and it follows new commits of the indexer without a restart.
"""

from __future__ import annotations

import os

from flask import Flask

from search import config


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory; `test_config` overrides the configuration."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get(config.INDEX.env, config.INDEX.default),
        PUBLIC_URL=os.environ.get(config.PUBLIC_URL.env, config.PUBLIC_URL.default),
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=64 * 1024,  # the app takes no uploads
    )
    # Statement ids are paths: keep them exactly as given (no redirects).
    app.url_map.merge_slashes = False
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if test_config:
        app.config.update(test_config)

    from webui import api, errors, exports, index_holder, pages, public_url, security, views

    index_holder.init_app(app)
    security.init_app(app)
    public_url.init_app(app)
    exports.init_app(app)
    errors.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    views.register(app)  # the research views: trend, concordance, key terms (search.views)
    return app
