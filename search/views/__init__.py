"""The research views of a search, each declared once (search.views.view.View).

A view is a module here with a request and a result dataclass, the function
computing the result from a snapshot, and a `VIEW` declaring its name, its
own parameters and its CSV columns. `VIEWS` lists them: `SearchIndex` gets a
method for each (search.engine), the web app a page, a JSON twin and a CSV
(webui.views), and `GET /api` an entry. ARCHITECTURE.md has the recipe.
"""

from __future__ import annotations

from search.views import collocations, compare, concordance, keyterms, resolutions, reuse, trend
from search.views.view import View

VIEWS: tuple[View, ...] = (trend.VIEW, concordance.VIEW, keyterms.VIEW, collocations.VIEW, resolutions.VIEW,
                           compare.VIEW, reuse.VIEW)
BY_NAME = {v.name: v for v in VIEWS}
