"""Atom feeds of searches: the newest matching statements, for feed readers.

A feed reader polling a search's feed sees each new statement once: an entry's
id is built from the statement's id (never from its place in the index), so it
is the same after any re-indexing, and the newest statements come first.
The XML is built with ElementTree, which escapes every text it is given.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html import escape
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from flask import url_for

from search.results import Hit, SearchResult
from webui.params import SearchRequest
from webui.searching import document_url

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
FEED_SIZE = 50  # the newest statements a feed lists
FEED_SORT = "-date"
# Names the ids of entries and feeds (UUID 5 of a statement id or a search): fixed for good.
ID_NAMESPACE = uuid.UUID("5a3c1e2f-7b0d-5e41-9c2a-3f6d8e0b4a17")
# What XML 1.0 cannot carry: a feed with one of these would not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def feed_args(req: SearchRequest) -> dict:
    """The parameters that make a feed: the search's, without paging or order (a feed has its own)."""
    return req.args(page=None, per_page=None, sort=None)


def feed_url(req: SearchRequest, external: bool = False) -> str:
    """Where a search's feed is (the search page links it)."""
    return url_for("api.search_atom", **feed_args(req), _external=external)


def entry_id(doc_id: str) -> str:
    """An entry's id, from the statement's id alone: the same at every indexing."""
    return "urn:uuid:" + str(uuid.uuid5(ID_NAMESPACE, "statement:" + doc_id))


def feed_id(req: SearchRequest) -> str:
    """A feed's id, from its search alone (parameters in a fixed order)."""
    canonical = urlencode(sorted(feed_args(req).items()), doseq=True)
    return "urn:uuid:" + str(uuid.uuid5(ID_NAMESPACE, "search:" + canonical))


def entry_times(date: str | None, committed: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
    """(updated, published) of a statement: its date at midnight UTC; one known only
    by its year is updated on 1 January and has no published day; an undated one
    is updated at the commit (the only time known of it), unpublished."""
    if not date:
        return committed, None
    if len(date) == 4:
        return dt.datetime(int(date), 1, 1, tzinfo=dt.timezone.utc), None
    day = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(), dt.timezone.utc)
    return day, day


def build(req: SearchRequest, result: SearchResult, committed_epoch: float) -> bytes:
    """The feed of a search's newest statements (`result`, sorted newest first) as Atom XML."""
    committed = dt.datetime.fromtimestamp(int(committed_epoch), dt.timezone.utc)
    entries = [_entry(hit, req.q, committed) for hit in result.hits]
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _add(feed, "id", feed_id(req))
    _add(feed, "title", _title(req))
    _add(feed, "subtitle", f"Matching statements: {result.total:,}; the newest {FEED_SIZE}, newest first")
    _add(feed, "updated", _stamp(max((u for u, _ in entries), default=committed)))
    _link(feed, "self", feed_url(req, external=True), ATOM_TYPE)
    _link(feed, "alternate", url_for("pages.search", **feed_args(req), sort=FEED_SORT, _external=True),
          "text/html")
    _add(ET.SubElement(feed, "author"), "name", "Statement search")
    _add(feed, "generator", "Statement search")
    feed.extend(entry for _, entry in entries)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(hit: Hit, q: str, committed: dt.datetime) -> tuple[dt.datetime, ET.Element]:
    updated, published = entry_times(hit.date, committed)
    entry = ET.Element("entry")
    _add(entry, "id", entry_id(hit.id))
    _add(entry, "title", hit.title or hit.id)
    _add(entry, "updated", _stamp(updated))
    if published is not None:
        _add(entry, "published", _stamp(published))
    _link(entry, "alternate", document_url(hit.id, q, external=True), "text/html")
    if hit.source_url:
        _link(entry, "related", hit.source_url, "text/html")
    for lang in hit.languages:
        ET.SubElement(entry, "category", {"term": lang})
    if hit.snippets:
        # The snippets are escaped HTML with <mark> (made in search/); as type="html"
        # content they are escaped once more, as text of the element.
        html = "\n".join(f'<p lang="{escape(s.lang)}">{s.html}</p>' for s in hit.snippets)
        _add(entry, "content", html, type="html")
    return updated, entry


def _title(req: SearchRequest) -> str:
    filters = [f"{name} {value}" for name, values in feed_args(req).items()
               if name not in ("q", "raw") for value in (values if isinstance(values, list) else [values])]
    return "Statements: " + (f"«{req.q}»" if req.q else "all") + (f" ({', '.join(filters)})" if filters else "")


def _add(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _NOT_XML.sub("", text)
    return element


def _link(parent: ET.Element, rel: str, href: str, mimetype: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": mimetype, "href": _NOT_XML.sub("", href)})


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
