"""Horizontal bar charts drawn on the server as SVG: the geometry, computed here.

No JavaScript and no chart library: each bar is a rectangle whose width is its share of the
largest value, with the label on the left and the value at the bar's end.
"""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 190
CHART_WIDTH = 560
ROW_HEIGHT = 28
BAR_HEIGHT = 18
VALUE_GAP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int


def bar_chart(rows: list[tuple[str, float]], *, percent: bool = False) -> BarChart:
    """A chart of ``rows`` (label, value); values are shown as given, or as percentages
    of 1.0 when ``percent``. Negative values are drawn as zero."""
    room = CHART_WIDTH - LABEL_WIDTH - 60
    top = max((max(v, 0) for _, v in rows), default=0)
    scale_to = 1.0 if percent else top
    bars = []
    for index, (label, value) in enumerate(rows):
        shown = max(value, 0)
        width = round(room * shown / scale_to) if scale_to else 0
        text = f"{round(value * 100)} %" if percent else f"{value:g}"
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=LABEL_WIDTH,
                y=index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                width=max(width, 1 if shown else 0),
                height=BAR_HEIGHT,
            )
        )
    return BarChart(bars, CHART_WIDTH, max(len(rows), 1) * ROW_HEIGHT, LABEL_WIDTH)
