"""Open data on peer mentoring: the hours validated and the compensation paid for them, per year of
the month declared, and how many agreements they came from. Validated declarations only (a
declaration still to confirm, contested or rejected never counts). Aggregates only: no mentor, no
mentee, no person."""

from django.db.models import Count, Max, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core import exports as formats
from core import open_data

from .models import HoursDeclaration
from .states import DeclarationState

COLUMNS = [
    formats.Column("year", _("Year"), ("year",), kind=open_data.INTEGER),
    formats.field("hours_validated", _("Hours validated"), "hours_validated", kind=formats.Kind.AMOUNT),
    formats.field("compensation", _("Compensation (EUR)"), "compensation", kind=formats.Kind.AMOUNT),
    formats.Column("agreements", _("Agreements"), ("agreements",), kind=open_data.INTEGER),
]


def validated_declarations():
    return HoursDeclaration.objects.filter(state=DeclarationState.VALIDATED)


def hours_by_year() -> list[list]:
    """One grouped query: hours validated, compensation and agreements per year of the month declared."""
    totals = (
        validated_declarations()
        .order_by()
        .annotate(year=ExtractYear("month"))
        .values("year")
        .annotate(
            hours_validated=Sum("total_hours"),
            compensation=Sum("amount"),
            agreements=Count("agreement", distinct=True),
        )
        .order_by("year")
    )
    return [[row["year"], row["hours_validated"], row["compensation"], row["agreements"]] for row in totals]


def fingerprint() -> tuple:
    totals = validated_declarations().aggregate(count=Count("pk"), latest=Max("updated_at"))
    return totals["count"], totals["latest"].isoformat() if totals["latest"] else ""


hours_csv, hours_json = open_data.dataset_views(
    dataset="mentoring",
    fingerprint=fingerprint,
    columns=COLUMNS,
    rows=hours_by_year,
    filename="mentoring-hours.csv",
    records_key="years",
)
