"""Mentoring's section of the staff dashboard (core.dashboards): hours declared and validated and
the compensation per month of the current year — `selectors.programme_overview`, the figures of the
programme page."""

from collections import defaultdict
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.charts import bar_chart
from core.dashboards import MONEY, NUMBER, TEXT, Column, Section, staff_administrations

from .selectors import programme_overview


def hours_per_month(user) -> Section | None:
    if not staff_administrations(user):
        return None
    year = timezone.localdate().year
    overview = programme_overview(user, year)
    names = {"fr": "administration__name_fr", "nl": "administration__name_nl"}
    name_key = names.get((get_language() or "fr")[:2], "administration__name_fr")
    rows = [
        {
            "month": formats.date_format(row["month"], "YEAR_MONTH_FORMAT"),
            "administration": row[name_key],
            "declared": row["declared"] or Decimal("0"),
            "validated": row["validated"],
            "compensation": row["compensation"],
        }
        for row in overview
    ]
    per_month = defaultdict(lambda: {"declared": Decimal("0"), "validated": Decimal("0")})
    for row in rows:
        per_month[row["month"]]["declared"] += row["declared"]
        per_month[row["month"]]["validated"] += row["validated"]
    months = list(per_month)
    chart = bar_chart(
        months,
        {
            str(_("Hours declared")): [per_month[m]["declared"] for m in months],
            str(_("Hours validated")): [per_month[m]["validated"] for m in months],
        },
    )
    return Section(
        code="mentoring_months",
        title=_("Mentoring hours and compensation per month, %(year)s") % {"year": year},
        columns=[
            Column("month", _("Month"), TEXT),
            Column("administration", _("Administration"), TEXT),
            Column("declared", _("Hours declared"), NUMBER),
            Column("validated", _("Hours validated"), NUMBER),
            Column("compensation", _("Compensation"), MONEY),
        ],
        rows=rows,
        chart=chart,
        note=_(
            "Hours declared: submitted onwards, rejected ones left out; compensation: for the hours validated."
        ),
    )
