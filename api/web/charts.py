"""Charts of the dashboard as server-rendered SVG: no script, no inline style (the CSP allows
neither). Each chart scales with its container (a viewBox, width 100% in app.css), names
itself to screen readers (role="img" and a <title>), and shows numbers that a table beside it
also gives; each bar or column carries its own <title> ("label: value") as a tooltip."""

from collections.abc import Sequence
from math import ceil

from markupsafe import Markup, escape

# User units of the viewBox: about the pixels a phone gives a chart, so that text drawn at 12
# units reads like text on a phone; app.css caps the width on larger screens.
WIDTH = 300
FONT = 12  # font size in user units (app.css: .chart text)
CHAR = 7.5  # a generous width of one character at that size, to keep labels apart
GAP = 6

# Horizontal bars: label left of the bar when the labels are short, above it otherwise.
ROW = 24
ROW_LABEL_ABOVE = 36
BAR = 14
MAX_LABEL_LEFT = WIDTH * 0.55
MAX_LABEL_CHARS = 50

# Columns: the plot area and room for the month or day under it and the value above it.
HEIGHT = 160
AXIS = 20
TOP = 16
MAX_COLUMN = 40


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _svg(title: str, height: float, parts: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_number(height)}" role="img" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def _shortened(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """Horizontal bars, one per (label, value) in the given order: the largest value spans the
    room left for bars, every other bar is in proportion; the value is written after its bar."""
    labels = [_shortened(label) for label, _ in rows]
    value_room = CHAR * max((len(str(value)) for _, value in rows), default=1) + GAP
    label_room = CHAR * max((len(label) for label in labels), default=0) + GAP
    above = label_room > MAX_LABEL_LEFT
    bar_x = 0.0 if above else label_room
    row = ROW_LABEL_ABOVE if above else ROW
    largest = max((value for _, value in rows), default=0)
    scale = (WIDTH - bar_x - value_room) / largest if largest else 0.0
    parts = []
    for index, ((label, value), shown) in enumerate(zip(rows, labels, strict=True)):
        top = index * row
        bar_y = top + row - BAR - (GAP if above else (row - BAR) / 2)
        middle = bar_y + BAR / 2
        length = value * scale
        if above:
            parts.append(f'<text x="0" y="{_number(top + FONT)}">{escape(shown)}</text>')
        else:
            parts.append(
                f'<text x="{_number(bar_x - GAP)}" y="{_number(middle)}" text-anchor="end" '
                f'dominant-baseline="central">{escape(shown)}</text>'
            )
        parts.append(
            f'<rect class="bar" x="{_number(bar_x)}" y="{_number(bar_y)}" '
            f'width="{_number(length)}" height="{BAR}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        parts.append(
            f'<text class="value" x="{_number(bar_x + length + GAP / 2)}" y="{_number(middle)}" '
            f'dominant-baseline="central">{value}</text>'
        )
    return _svg(title, max(len(rows), 1) * row, parts)


def column_chart(columns: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """Vertical columns over time, oldest left: heights in proportion to the largest value.
    Labels under the columns are thinned to every n-th so they never overlap; values are
    written above the columns when they fit."""
    slot = WIDTH / max(len(columns), 1)
    widest_label = CHAR * max((len(label) for label, _ in columns), default=0) + GAP
    # Half a label more between shown labels: the first and last are moved inside the chart.
    every = max(1, ceil(1.5 * widest_label / slot))
    widest_value = CHAR * max((len(str(value)) for _, value in columns), default=1)
    values_fit = widest_value <= slot
    largest = max((value for _, value in columns), default=0)
    plot = HEIGHT - AXIS - TOP
    scale = plot / largest if largest else 0.0
    parts = [f'<line class="axis" x1="0" x2="{WIDTH}" y1="{TOP + plot}" y2="{TOP + plot}"/>']
    for index, (label, value) in enumerate(columns):
        height = value * scale
        centre = index * slot + slot / 2
        width = min(slot * 0.7, MAX_COLUMN)
        top = TOP + plot - height
        parts.append(
            f'<rect class="bar" x="{_number(centre - width / 2)}" y="{_number(top)}" '
            f'width="{_number(width)}" height="{_number(height)}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        if values_fit:
            parts.append(
                f'<text class="value" x="{_number(centre)}" y="{_number(top - 4)}" '
                f'text-anchor="middle">{value}</text>'
            )
        if index % every == 0:
            half = min(CHAR * len(label) / 2, WIDTH / 2)
            label_x = min(max(centre, half), WIDTH - half)
            parts.append(
                f'<text x="{_number(label_x)}" y="{HEIGHT - 4}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    return _svg(title, HEIGHT, parts)
