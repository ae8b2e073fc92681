"""The guarantees' section of the staff dashboard (core.dashboards): the fund's exposure against its
capacity at the end of each of the last twelve months, and today."""

from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.charts import bar_chart
from core.dashboards import MONEY, TEXT, Column, Section, staff_administrations

from .calculations import add_months
from .selectors import exposure_history

MONTHS = 12


def month_ends(today, months: int = MONTHS) -> list:
    """The last day of each of the `months` months before today's, oldest first, then today."""
    first_of_month = today.replace(day=1)
    ends = [add_months(first_of_month, -back) - timedelta(days=1) for back in range(months - 1, -1, -1)]
    return [*ends, today]


def exposure_over_time(user) -> Section | None:
    if not staff_administrations(user):
        return None
    points = exposure_history(month_ends(timezone.localdate()))
    rows = [
        {
            "on": formats.date_format(point["on"], "SHORT_DATE_FORMAT"),
            "date": point["on"],
            "exposure": point["exposure"],
            "capacity": point["capacity"],
            "remaining": point["capacity"] - point["exposure"],
        }
        for point in points
    ]
    chart = bar_chart(
        [formats.date_format(point["on"], "YEAR_MONTH_FORMAT") for point in points],
        {str(_("Exposure")): [row["exposure"] for row in rows]},
    )
    return Section(
        code="guarantee_exposure",
        title=_("Guarantee fund: exposure against capacity"),
        columns=[
            Column("on", _("On"), TEXT),
            Column("exposure", _("Exposure"), MONEY),
            Column("capacity", _("Capacity"), MONEY),
            Column("remaining", _("Remaining capacity"), MONEY),
        ],
        rows=rows,
        chart=chart,
        note=_(
            "The chart shows the exposure; the table, the capacity beside it. Exposure: offers at their guaranteed amount, running guarantees at their outstanding guaranteed "
            "amount on that day (the lender's latest declaration, else the schedule)."
        ),
    )
