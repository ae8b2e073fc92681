"""Bar charts drawn on the server as SVG: no script, no CDN, nothing fetched from the internet.

`bar_chart` turns categories and one or more series of numbers into the geometry the template
`core/includes/chart.html` draws. The chart is decoration for sighted readers (`aria-hidden`):
the same figures are always in the table printed under it, which screen readers read instead.
Pure functions of their arguments, so the geometry is tested without a database.
"""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 640  # the drawing's own units; the SVG scales to the width of the screen
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 16, 40  # margins, room for the category labels
SERIES_COLOURS = 4  # CSS classes chart-series-0 … chart-series-3


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    value: Decimal


@dataclass(frozen=True)
class Chart:
    categories: list[str]
    series: list[str]
    bars: list[Bar] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)  # (x of the group's middle, text)
    maximum: Decimal = Decimal("0")
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def _number(value) -> Decimal:
    return Decimal(str(value or 0))


def _short(label: str, room: float) -> str:
    """The label cut to what fits under its group (about 6 units a character)."""
    fits = max(int(room // 6), 3)
    return label if len(label) <= fits else label[: fits - 1] + "…"


def bar_chart(categories: list[str], series: dict[str, list]) -> Chart:
    """Grouped bars: one group per category, one bar per series in it; heights on one scale from
    zero to the largest value (negative values are drawn as zero; the table shows them)."""
    names = list(series)
    maximum = max((_number(v) for values in series.values() for v in values), default=Decimal("0"))
    chart = Chart(categories=list(categories), series=names, maximum=maximum)
    if not categories or not names:
        return chart
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    group = plot_width / len(categories)
    gap = group * 0.2
    bar_width = (group - gap) / len(names)
    for index, category in enumerate(categories):
        start = LEFT + index * group + gap / 2
        for position, name in enumerate(names):
            value = _number(series[name][index])
            height = float(value / maximum) * plot_height if maximum > 0 and value > 0 else 0.0
            chart.bars.append(
                Bar(
                    x=round(start + position * bar_width, 2),
                    y=round(TOP + plot_height - height, 2),
                    width=round(max(bar_width - 1, 1), 2),
                    height=round(height, 2),
                    series=position % SERIES_COLOURS,
                    value=value,
                )
            )
        chart.labels.append((round(start + (group - gap) / 2, 2), _short(str(category), group)))
    return chart
