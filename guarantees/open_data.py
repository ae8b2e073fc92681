"""Open data on guarantees: how many were offered and for what guaranteed volume, per administration
and year of the offer. A guarantee counts once a decision offered it, whatever happened after
(taken up, released, called, lapsed, closed); drafts, requests still under instruction, rejected,
ineligible and withdrawn requests never appear. Aggregates only: no borrower, no person."""

from django.db.models import Count, Max, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import exports as formats
from core import open_data

from .models import GuaranteeRequest
from .states import AID_STATES, State

OFFERED_STATES = [*AID_STATES, State.LAPSED]

COLUMNS = [
    formats.field("administration_code", _("Administration code"), "administration_code"),
    formats.field("administration_name", _("Administration"), "administration_name"),
    formats.Column("year", _("Year of the offer"), ("year",), kind=open_data.INTEGER),
    formats.Column("count", _("Guarantees offered"), ("count",), kind=open_data.INTEGER),
    formats.field(
        "guaranteed_volume", _("Guaranteed volume (EUR)"), "guaranteed_volume", kind=formats.Kind.AMOUNT
    ),
]


def offered_guarantees():
    return GuaranteeRequest.objects.filter(state__in=OFFERED_STATES, offered_at__isnull=False)


def guarantee_totals() -> list[list]:
    """One grouped query: count and guaranteed volume per administration and year of the offer."""
    dutch = (get_language() or "fr").startswith("nl")
    totals = (
        offered_guarantees()
        .order_by()
        .annotate(year=ExtractYear("offered_at"))
        .values("administration__code", "administration__name_fr", "administration__name_nl", "year")
        .annotate(count=Count("pk"), guaranteed_volume=Sum("guaranteed_amount"))
        .order_by("year", "administration__code")
    )
    return [
        [
            row["administration__code"],
            row["administration__name_nl"] if dutch else row["administration__name_fr"],
            row["year"],
            row["count"],
            row["guaranteed_volume"],
        ]
        for row in totals
    ]


def fingerprint() -> tuple:
    totals = offered_guarantees().aggregate(count=Count("pk"), latest=Max("updated_at"))
    return totals["count"], totals["latest"].isoformat() if totals["latest"] else ""


guarantees_csv, guarantees_json = open_data.dataset_views(
    dataset="guarantees",
    fingerprint=fingerprint,
    columns=COLUMNS,
    rows=guarantee_totals,
    filename="guarantees-offered.csv",
    records_key="guarantees",
)
