"""The trend chart as SVG, drawn on the server: axes with labels, a legend,
bars (one series, or few periods) or lines, and every bar or point a link to
the search of its period. Every text is escaped; styling is presentation
attributes only, so the chart needs no inline CSS (see security.py) and no script.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from search.views.trend import SHOWN, Trend

VIEWS = SHOWN
# Okabe–Ito colours (told apart with colour blindness), and a dash per line as well.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 4")
INK, MUTED, GRID, PAPER = "#1d232b", "#5b6672", "#e3e7eb", "#ffffff"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
BARS_UP_TO = 12  # periods up to which several series are drawn as grouped bars, not lines
MAX_BAR = 64  # a bar's widest, so few periods do not make slabs
LEGEND_CHARS = 40  # a series' label in the legend, cut (the tooltip has it whole)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PERIOD_TITLES = {"year": "Year", "month": "Month", "week": "Week (from Monday)", "day": "Day"}


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    font: int
    ticks: int  # horizontal grid lines wanted


SIZES = {
    "wide": Size(960, 420, 13, 5),
    "narrow": Size(360, 320, 11, 4),
    "small": Size(640, 132, 11, 2),
}


def esc(text) -> str:
    """Text for XML: escaped, and without the characters XML cannot carry."""
    return escape(_NOT_XML.sub("", str(text)), quote=True)


def share_text(share: float | None, digits: int = 1) -> str:
    """A share as a percentage ("4.2%"); "–" for a period without statements."""
    if share is None:
        return "–"
    return f"{share * 100:.{digits}f}%"


def uses_bars(trend: Trend) -> bool:
    """Bars for one series or few periods; lines when several series cross many."""
    return len(trend.series) == 1 or len(trend.periods) <= BARS_UP_TO


def _key(i: int, x: float, y: float, bars: bool) -> str:
    """A series' mark in a legend, its centre-left at (x, y): a square for bars, else its line."""
    colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
    if bars:
        return f'<rect x="{x + 5:.1f}" y="{y - 6:.1f}" width="12" height="12" rx="2" fill="{colour}"/>'
    return (f'<line x1="{x:.1f}" x2="{x + 20:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="4"{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')


def swatch(i: int, bars: bool = False) -> str:
    """A series' mark as a small inline SVG, as the legend draws it (for HTML beside the chart)."""
    return (f'<svg class="swatch" width="22" height="14" viewBox="0 0 22 14" aria-hidden="true">'
            f'{_key(i, 1, 7, bars)}</svg>')


def values(trend: Trend, view: str) -> list[list[float | None]]:
    """What the chart plots per series and period: percentages, or counts."""
    if view == "share":
        return [[None if s is None else s * 100 for s in series.shares] for series in trend.series]
    return [[float(c) for c in series.counts] for series in trend.series]


def nice_ticks(top: float, wanted: int) -> tuple[list[float], float]:
    """Round tick values from 0 to at least `top` (about `wanted` of them) and their step."""
    if top <= 0:
        return [0.0, 1.0], 1.0
    rough = top / max(1, wanted)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)], step


def tick_text(value: float, step: float, view: str) -> str:
    if view == "count":
        return f"{value:,.0f}"
    # As many decimals as the step needs (0.25 → 2), and no more.
    digits = next(d for d in range(7) if abs(round(step, d) - step) < 1e-9 or d == 6)
    return f"{value:.{digits}f}%"


def render(trend: Trend, view: str, size: str, link: Callable[[int, int], str],
           standalone: bool = False, label: str = "") -> str:
    """The chart as SVG markup; `link(series, period)` is the search a point opens."""
    box = SIZES[size]
    font = box.font
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {box.width} {box.height}" '
           f'width="{box.width}" height="{box.height}" class="trend-chart {size}" '
           f'font-family="{esc(FONT)}" font-size="{font}" fill="{INK}" role="group" '
           f'aria-label="{esc(label or "Trend chart")}">']
    if standalone:
        out.append(f"<title>{esc(label or 'Trend chart')}</title>")
    out.append(f'<rect width="{box.width}" height="{box.height}" fill="{PAPER}"/>')
    series_values = values(trend, view)
    n = len(trend.periods)
    if not n or not trend.series:
        out.append(f'<text x="{box.width / 2}" y="{box.height / 2}" text-anchor="middle" '
                   f'fill="{MUTED}">No dated statement to chart</text></svg>')
        return "".join(out)

    # The legend (several series only) on top, in rows as wide as the chart.
    top = 8
    if len(trend.series) > 1 or size != "small":
        top = _legend(out, trend, box, top) + font
    ticks, step = nice_ticks(max((v for vs in series_values for v in vs if v is not None), default=0),
                             box.ticks)
    tick_labels = [tick_text(t, step, view) for t in ticks]
    small = size == "small"
    # Room for the longest tick label: digits take about 0.6 em, "%" nearly 1 em
    # (at 0.6 em each, "100%" began left of the picture).
    left = 8 + (0 if small else font * 1.6) + max(len(t) * 0.6 + 0.35 * t.count("%") for t in tick_labels) * font
    right = 12
    bottom = font * (1.8 if small else 3.4)
    plot_w, plot_h = box.width - left - right, box.height - top - bottom
    y_of = lambda v: top + plot_h - (v / ticks[-1]) * plot_h  # noqa: E731

    # Grid and axes.
    for t, text in zip(ticks, tick_labels):
        if small and t not in (0, ticks[-1]):
            continue
        y = y_of(t)
        out.append(f'<line x1="{left:.1f}" x2="{left + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{GRID if t else MUTED}" stroke-width="1"/>')
        out.append(f'<text x="{left - 6:.1f}" y="{y + font * 0.35:.1f}" text-anchor="end" '
                   f'fill="{MUTED}">{esc(text)}</text>')
    if not small:
        y_title = "Share of statements" if view == "share" else "Matching statements"
        cy = top + plot_h / 2
        out.append(f'<text x="{font}" y="{cy:.1f}" text-anchor="middle" fill="{MUTED}" '
                   f'transform="rotate(-90 {font} {cy:.1f})">{esc(y_title)}</text>')
        out.append(f'<text x="{left + plot_w / 2:.1f}" y="{box.height - font * 0.5:.1f}" '
                   f'text-anchor="middle" fill="{MUTED}">{esc(PERIOD_TITLES[trend.period])}</text>')
    slot = plot_w / n
    _x_labels(out, trend, box, left, slot, top + plot_h, small)

    # The data: bars, or lines with a point per period.
    if uses_bars(trend):
        _bars(out, trend, series_values, left, slot, top, plot_h, y_of, link)
    else:
        _lines(out, trend, series_values, left, slot, top, plot_h, y_of, link)
    out.append("</svg>")
    return "".join(out)


def _legend(out: list[str], trend: Trend, box: Size, y: float) -> float:
    """Draws the legend from `y` down; returns where it ends."""
    font, x = box.font, 8.0
    row = font * 1.7
    y += font
    for i, series in enumerate(trend.series):
        text = series.label if len(series.label) <= LEGEND_CHARS else series.label[:LEGEND_CHARS - 1] + "…"
        width = 26 + len(text) * font * 0.62 + 16
        if x > 8 and x + width > box.width - 8:
            x, y = 8.0, y + row
        out.append(f'<g class="legend-item"><title>{esc(series.label)}</title>'
                   f'{_key(i, x, y - font * 0.35, uses_bars(trend))}'
                   f'<text x="{x + 26:.1f}" y="{y:.1f}">{esc(text)}</text></g>')
        x += width
    return y + font * 0.4


def _x_labels(out, trend: Trend, box: Size, left: float, slot: float, base: float, small: bool):
    """Period labels under the axis, as many as fit without touching."""
    font = box.font
    labels = [p.label for p in trend.periods]
    n = len(labels)
    width = max(len(t) for t in labels) * font * 0.6 + font
    every = max(1, math.ceil(width / slot))
    shown = sorted({0, n - 1}) if small else range(0, n, every)
    for i in shown:
        x = left + slot * (i + 0.5)
        anchor = "middle"
        if small:
            anchor = "start" if i == 0 else "end"
            x = left if i == 0 else left + slot * n
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base:.1f}" y2="{base + 4:.1f}" '
                   f'stroke="{MUTED}"/>' if not small else "")
        half = len(labels[i]) * font * 0.3
        if not small and x + half > box.width - 2:  # the last labels stay inside the chart
            x, anchor = box.width - 2.0, "end"
        elif not small and x - half < 2:
            x, anchor = 2.0, "start"
        out.append(f'<text x="{x:.1f}" y="{base + font * 1.35:.1f}" text-anchor="{anchor}" '
                   f'fill="{MUTED}">{esc(labels[i])}</text>')


def _tooltip(trend: Trend, s: int, p: int) -> str:
    series, period = trend.series[s], trend.periods[p]
    count, total = series.counts[p], series.totals[p]
    return (f"{series.label} · {period.label}: {count:,} of {total:,} statements "
            f"({share_text(series.shares[p])}); open the search")


def _bars(out, trend, series_values, left, slot, top, plot_h, y_of, link):
    k = len(trend.series)
    width = min(slot * (0.8 if slot > 4 else 1.0) / k, MAX_BAR)
    group = width * k
    for p in range(len(trend.periods)):
        for s in range(k):
            value = series_values[s][p]
            x = left + slot * p + (slot - group) / 2 + width * s
            y = y_of(value or 0)
            out.append(f'<a href="{esc(link(s, p))}" class="point"><title>{esc(_tooltip(trend, s, p))}</title>'
                       f'<rect x="{x:.2f}" y="{top:.1f}" width="{width:.2f}" height="{plot_h:.1f}" '
                       f'fill="{PAPER}" fill-opacity="0"/>')
            if value:
                out.append(f'<rect x="{x + (0.5 if width > 3 else 0):.2f}" y="{y:.1f}" '
                           f'width="{max(0.6, width - (1 if width > 3 else 0)):.2f}" '
                           f'height="{top + plot_h - y:.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>')
            out.append("</a>")


def _lines(out, trend, series_values, left, slot, top, plot_h, y_of, link):
    n = len(trend.periods)
    radius = 3.5 if n <= 60 else 2
    for s, vs in enumerate(series_values):
        colour, dash = COLOURS[s % len(COLOURS)], DASHES[s % len(DASHES)]
        runs, run = [], []
        for p, v in enumerate(vs):  # a period without statements breaks the line
            if v is None:
                runs, run = runs + [run] if run else runs, []
            else:
                run.append(f"{left + slot * (p + 0.5):.1f},{y_of(v):.1f}")
        runs += [run] if run else []
        for run in runs:
            out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                       f'stroke-width="2.5" stroke-linejoin="round"'
                       f'{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')
    for s, vs in enumerate(series_values):
        colour = COLOURS[s % len(COLOURS)]
        for p, v in enumerate(vs):
            if v is None:
                continue
            x, y = left + slot * (p + 0.5), y_of(v)
            out.append(f'<a href="{esc(link(s, p))}" class="point"><title>{esc(_tooltip(trend, s, p))}</title>'
                       f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{max(6.0, min(11.0, slot / 2)):.1f}" '
                       f'fill="{PAPER}" fill-opacity="0"/>'
                       f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" '
                       f'stroke="{PAPER}" stroke-width="1"/></a>')
