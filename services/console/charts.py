"""Horizontal bar charts drawn on the server as SVG: the geometry, computed here.

No JavaScript and no chart library: each bar is a rectangle whose width is its share of the
largest value, with the label on the left and the value at the bar's end. Three shapes:
plain bars (:func:`bar_chart`), rates grouped under a heading each (:func:`grouped_rates`,
e.g. a programme's started / engaged / retained), and counts beside a norm of their own
(:func:`against_norm`: the norm is a mark across the bar; a bar over it stands out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

LABEL_WIDTH = 190
CHART_WIDTH = 560
#: the grouped and the norm charts: narrower, so that their words stay legible on a phone
NARROW_LABEL_WIDTH = 112
NARROW_WIDTH = 360
ROW_HEIGHT = 28
BAR_HEIGHT = 18
VALUE_GAP = 6
VALUE_ROOM = 60  # right of the longest bar: its value ("100 %", "12 / 7")
NO_VALUE = "–"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    x: int
    y: int
    width: int
    height: int
    series: int = 0  # which measure of its group (drawn in that measure's colour)
    over: bool = False  # beyond its mark: drawn to stand out
    mark: int | None = None  # x of the bar's own mark (a norm), if it has one


@dataclass(frozen=True)
class Heading:
    """A group's name, on a row of its own above its bars."""

    text: str
    y: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    headings: list[Heading] = field(default_factory=list)


def _room(width: int = CHART_WIDTH, label_width: int = LABEL_WIDTH) -> int:
    return width - label_width - VALUE_ROOM


def _length(value: float, scale_to: float, room: int) -> int:
    shown = max(value, 0)
    length = round(room * shown / scale_to) if scale_to else 0
    return max(length, 1 if shown else 0)


def _top(row: int) -> int:
    return row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2


def bar_chart(rows: list[tuple[str, float]], *, percent: bool = False) -> BarChart:
    """A chart of ``rows`` (label, value); values are shown as given, or as percentages
    of 1.0 when ``percent``. Negative values are drawn as zero."""
    room = _room()
    top = max((max(v, 0) for _, v in rows), default=0)
    scale_to = 1.0 if percent else top
    bars = [
        Bar(
            label=label,
            value=value,
            text=f"{round(value * 100)} %" if percent else f"{value:g}",
            x=LABEL_WIDTH,
            y=_top(index),
            width=_length(value, scale_to, room),
            height=BAR_HEIGHT,
        )
        for index, (label, value) in enumerate(rows)
    ]
    return BarChart(bars, CHART_WIDTH, max(len(rows), 1) * ROW_HEIGHT, LABEL_WIDTH)


def grouped_rates(
    groups: list[tuple[str, list[tuple[str, float | None]]]],
    *,
    width: int = NARROW_WIDTH,
    label_width: int = NARROW_LABEL_WIDTH,
) -> BarChart:
    """One heading per group, then a bar per (label, rate) under it, rates of 1.0 shown as
    percentages; a rate not known yet (``None``) has no bar and reads "–"."""
    room = _room(width, label_width)
    bars: list[Bar] = []
    headings: list[Heading] = []
    row = 0
    for heading, rates in groups:
        headings.append(Heading(heading, row * ROW_HEIGHT + ROW_HEIGHT - 8))
        row += 1
        for series, (label, rate) in enumerate(rates):
            bars.append(
                Bar(
                    label=label,
                    value=rate or 0.0,
                    text=NO_VALUE if rate is None else f"{round(rate * 100)} %",
                    x=label_width,
                    y=_top(row),
                    width=0 if rate is None else _length(rate, 1.0, room),
                    height=BAR_HEIGHT,
                    series=series,
                )
            )
            row += 1
    return BarChart(bars, width, max(row, 1) * ROW_HEIGHT, label_width, headings)


def against_norm(rows: list[tuple[str, int, int]], *, width: int = NARROW_WIDTH) -> BarChart:
    """A bar per (label, count, norm), all on one scale (the largest count or norm), each
    with its norm marked across it and read "count / norm"; a count over its norm is
    ``over``."""
    label_width = NARROW_LABEL_WIDTH
    room = _room(width, label_width)
    scale_to = max((max(count, norm) for _, count, norm in rows), default=0)
    bars = [
        Bar(
            label=label,
            value=count,
            text=f"{count} / {norm}",
            x=label_width,
            y=_top(index),
            width=_length(count, scale_to, room),
            height=BAR_HEIGHT,
            over=count > norm,
            mark=label_width + _length(norm, scale_to, room),
        )
        for index, (label, count, norm) in enumerate(rows)
    ]
    return BarChart(bars, width, max(len(rows), 1) * ROW_HEIGHT, label_width)
