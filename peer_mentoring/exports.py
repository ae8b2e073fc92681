"""Exports of the officer lists of agreements and declarations (CSV streamed, XLSX), from one
`values_list` query each with labels resolved once (`core.exports`)."""

from django.utils.translation import gettext_lazy as _

from core.exports import Kind, choice, field, translated

from .selectors import agreements_visible_to, declarations_visible_to, filter_files
from .states import AgreementState, DeclarationState


def _text(value) -> str:
    return value or ""


_ADMINISTRATION = translated(
    "administration", _("Administration"), "administration__name_fr", "administration__name_nl"
)

AGREEMENT_COLUMNS = [
    field("reference", _("Reference"), "reference", width=16, convert=_text),
    translated("mentor", _("Mentor"), "mentor__name_fr", "mentor__name_nl", fallback=True, width=36),
    translated("mentee", _("Mentee"), "mentee__name_fr", "mentee__name_nl", fallback=True, width=36),
    field("project", _("Project"), "project", width=40),
    choice("state", _("State"), "state", AgreementState.choices),
    _ADMINISTRATION,
    field("starts_on", _("Starts on"), "starts_on", kind=Kind.DATE, width=14),
    field("ends_on", _("Ends on"), "ends_on", kind=Kind.DATE, width=14),
    field("planned_hours", _("Planned hours"), "planned_hours", kind=Kind.AMOUNT),
    field("hours_cap", _("Hours cap"), "hours_cap", kind=Kind.AMOUNT),
    field("hourly_rate", _("Hourly rate (EUR)"), "hourly_rate", kind=Kind.AMOUNT),
    field("deadline", _("Deadline"), "deadline", kind=Kind.DATE, width=14),
]

DECLARATION_COLUMNS = [
    field("reference", _("Reference"), "reference", width=20, convert=_text),
    field("agreement", _("Agreement"), "agreement__reference", width=16, convert=_text),
    translated(
        "mentor",
        _("Mentor"),
        "agreement__mentor__name_fr",
        "agreement__mentor__name_nl",
        fallback=True,
        width=36,
    ),
    translated(
        "mentee",
        _("Mentee"),
        "agreement__mentee__name_fr",
        "agreement__mentee__name_nl",
        fallback=True,
        width=36,
    ),
    field("month", _("Month"), "month", kind=Kind.DATE, width=14),
    choice("state", _("State"), "state", DeclarationState.choices),
    _ADMINISTRATION,
    field("total_hours", _("Hours declared"), "total_hours", kind=Kind.AMOUNT),
    field("amount", _("Compensation (EUR)"), "amount", kind=Kind.AMOUNT),
    field("deadline", _("Deadline"), "deadline", kind=Kind.DATE, width=14),
]


def agreement_rows(user, filters: dict):
    return filter_files(agreements_visible_to(user), filters).order_by("reference", "pk")


def declaration_rows(user, filters: dict):
    return filter_files(declarations_visible_to(user), filters).order_by("reference", "pk")
