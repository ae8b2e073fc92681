"""Exports of grant files: the officer list (CSV, XLSX) and the open data on awarded grants (CSV, JSON).

The columns say which database values each cell needs (`core.exports`): one `values_list` query,
labels resolved once, CSV streamed. CSV and XLSX share one definition.
"""

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext_lazy as _

from core.exports import Column, Kind, choice, field, local_date, local_datetime, translated

from .choices import Axis
from .models import GrantApplication
from .selectors import applications_visible_to, filter_applications
from .states import AWARDED_STATES, State


def _enterprise_number(number: str) -> str:
    """The official notation 0412.345.614: spreadsheets keep it as text, with its leading zero."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}" if len(number) == 10 else number


def _text(value) -> str:
    return value or ""


_REFERENCE = field("reference", _("Reference"), "reference", width=16, convert=_text)
_ENTERPRISE_NUMBER = field(
    "enterprise_number",
    _("Enterprise number"),
    "lead_organisation__enterprise_number",
    convert=_enterprise_number,
)
_LEAD = ("lead_organisation__name_fr", "lead_organisation__name_nl")
_ADMINISTRATION = translated(
    "administration", _("Administration"), "administration__name_fr", "administration__name_nl"
)
_CALL = translated("call", _("Call"), "call__title_fr", "call__title_nl", width=40)
_AWARDED = field("awarded_amount", _("Awarded (EUR)"), "awarded_amount", kind=Kind.AMOUNT)

OFFICER_COLUMNS = [
    _REFERENCE,
    field("title", _("Title"), "title", width=48),
    translated("lead_organisation", _("Lead organisation"), *_LEAD, fallback=True, width=36),
    _ENTERPRISE_NUMBER,
    _ADMINISTRATION,
    _CALL,
    choice("state", _("State"), "state", State.choices, width=24),
    field("requested_amount", _("Requested (EUR)"), "requested_amount", kind=Kind.AMOUNT),
    _AWARDED,
    field("submitted_at", _("Submitted at"), "submitted_at", kind=Kind.DATETIME, convert=local_datetime),
    field("deadline", _("Deadline"), "deadline", kind=Kind.DATE, width=14),
]


def _axes_column() -> Column:
    """The axes of the mutualisation measure the project serves, by their labels, "; " between."""

    def reader():
        labels = {value: str(label) for value, label in Axis.choices}
        return lambda axes: "; ".join(labels.get(axis, axis) for axis in (axes or []))

    return Column("axes", _("Axes"), ("axes",), reader, Kind.TEXT, 40)


OPEN_DATA_COLUMNS = [
    _REFERENCE,
    translated("organisation_name", _("Organisation"), *_LEAD, fallback=True, width=36),
    _ENTERPRISE_NUMBER,
    field("project_title", _("Project"), "title", width=48),
    _axes_column(),
    _AWARDED,
    field("decision_date", _("Decision date"), "decided_at", kind=Kind.DATE, width=14, convert=local_date),
    _ADMINISTRATION,
    _CALL,
]


# -- the rows ----------------------------------------------------------------------------------------


def officer_export_rows(user, filters: dict) -> QuerySet[GrantApplication]:
    """Exactly the files the officer list shows (the shared scope rule), with the list's filters."""
    return filter_applications(applications_visible_to(user), filters).order_by("reference", "pk")


def awarded_grants() -> QuerySet[GrantApplication]:
    """Every grant awarded and not lapsed, for anyone to read: organisations and amounts, no people."""
    return GrantApplication.objects.filter(state__in=AWARDED_STATES).order_by("decided_at", "reference")


def awarded_grants_fingerprint() -> tuple[int, str]:
    """What changes whenever the open data does (a file awarded, changed or withdrawn from it): one
    aggregate on the awarded files, cheap beside the export itself."""
    totals = GrantApplication.objects.filter(state__in=AWARDED_STATES).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    return totals["count"], totals["latest"].isoformat() if totals["latest"] else ""
