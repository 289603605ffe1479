"""A bounded load test: the real server on the test index, over loopback.

2,000 requests of /api/search (Russian, English, phrases, filters, facets,
prefixes, typos, sorting, paging) from 16 concurrent clients with keep-alive
connections. Every answer must be a 200 with the expected shape; the run must
finish within a time bound. Throughput and latency percentiles are printed
and written to tests/artifacts/load.json.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import threading
import time
import urllib.parse

from tests.conftest import ARTIFACTS

REQUESTS = int(os.environ.get("STATEMENTS_LOAD_REQUESTS", "2000"))
CONCURRENCY = 16
TIME_BOUND = 120.0  # seconds for the whole run

MIX = [
    {"q": "выборы", "per_page": "5"},
    {"q": "выборов в парламент"},
    {"q": "resolution", "per_page": "5"},
    {"q": '"occupied territories"', "per_page": "5"},
    {"q": '"оккупированные территории"'},
    {"q": "Azerbaijan", "year": "2019", "per_page": "5"},
    {"q": "climate change", "sort": "-date", "per_page": "5"},
    {"q": "резолюция OR resolution", "per_page": "3"},
    {"q": "development", "number_min": "2000", "number_max": "2100", "per_page": "5"},
    {"q": "elction~", "per_page": "5"},
    {"q": "окку*", "per_page": "5"},
    {"q": "lang:ru выборы", "per_page": "5"},
    {"q": "sustainable -climate", "page": "2", "per_page": "5"},
    {"q": "", "lang": "ru"},
    {"q": "", "year": "2020", "sort": "date"},
    {"q": "", "mentioned_year": "1945", "per_page": "10"},
    {"q": "", "date_from": "2020-01-01", "date_to": "2020-06-30"},
    {"q": "", "number": "822"},
    {"q": "title:statement", "per_page": "5"},
    {"q": "resolutoin"},  # did you mean
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def test_load_on_loopback(server, record_property):  # noqa: F811
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    paths = ["/api/search?" + urllib.parse.urlencode(MIX[i % len(MIX)]) for i in range(REQUESTS)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    cursor = iter(range(REQUESTS))
    deadline = time.monotonic() + TIME_BOUND

    def client():
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < deadline:
            with lock:
                n = next(cursor, None)
            if n is None:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", paths[n])
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    raise AssertionError(f"{response.status} {body[:200]!r}")
                parsed = json.loads(body)
                if not isinstance(parsed.get("total"), int) or "hits" not in parsed:
                    raise AssertionError(f"unexpected body {body[:200]!r}")
            except Exception as err:  # noqa: BLE001 - every failure is counted
                with lock:
                    errors.append(f"{paths[n]}: {type(err).__name__}: {err}")
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                continue
            with lock:
                latencies.append(elapsed)
        conn.close()

    # One round of the mix first, so the measured run starts warm.
    warm = http.client.HTTPConnection(host, int(port), timeout=60)
    for query in MIX:
        warm.request("GET", "/api/search?" + urllib.parse.urlencode(query))
        assert warm.getresponse().read()
    warm.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONCURRENCY)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=TIME_BOUND + 30)
    wall = time.monotonic() - started

    done = len(latencies) + len(errors)
    report = {
        "requests": REQUESTS,
        "completed": done,
        "concurrency": CONCURRENCY,
        "errors": len(errors),
        "seconds": round(wall, 2),
        "throughput_rps": round(len(latencies) / wall, 1),
        "latency_ms": {
            "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
            "p50": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
            "p95": round(percentile(latencies, 95) * 1000, 1) if latencies else None,
            "p99": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
            "max": round(max(latencies) * 1000, 1) if latencies else None,
        },
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for key in ("throughput_rps", "seconds", "errors"):
        record_property(key, report[key])
    record_property("p95_ms", report["latency_ms"]["p95"])
    print(f"\nload: {len(latencies)} requests in {wall:.1f} s at concurrency {CONCURRENCY}: "
          f"{report['throughput_rps']} requests/s, p50 {report['latency_ms']['p50']} ms, "
          f"p95 {report['latency_ms']['p95']} ms, {len(errors)} errors")

    assert not errors, errors[:10]
    assert done == REQUESTS, f"only {done} of {REQUESTS} requests in {TIME_BOUND:.0f} s"
    assert wall < TIME_BOUND
