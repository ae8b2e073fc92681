"""Exports of the officer list of guarantees (CSV, XLSX): one `values_list` query, labels once."""

from django.utils.translation import gettext_lazy as _

from core.exports import Kind, choice, field, local_datetime, translated

from .choices import Rating, RepaymentProfile
from .selectors import filter_requests, requests_visible_to
from .states import State


def _text(value) -> str:
    return value or ""


COLUMNS = [
    field("reference", _("Reference"), "reference", width=16, convert=_text),
    translated("borrower", _("Borrower"), "borrower__name_fr", "borrower__name_nl", fallback=True, width=36),
    translated("lender", _("Lender"), "lender__name_fr", "lender__name_nl", fallback=True, width=30),
    translated("administration", _("Administration"), "administration__name_fr", "administration__name_nl"),
    choice("state", _("State"), "state", State.choices, width=20),
    field("loan_amount", _("Loan amount (EUR)"), "loan_amount", kind=Kind.AMOUNT),
    field("duration_months", _("Duration (months)"), "duration_months"),
    choice("repayment_profile", _("Repayment profile"), "repayment_profile", RepaymentProfile.choices),
    field("coverage", _("Coverage (%)"), "coverage", kind=Kind.AMOUNT),
    field("guaranteed_amount", _("Guaranteed amount (EUR)"), "guaranteed_amount", kind=Kind.AMOUNT),
    choice("risk_rating", _("Risk rating"), "risk_rating", Rating.choices),
    field("aid_equivalent", _("Aid equivalent (EUR)"), "aid_equivalent", kind=Kind.AMOUNT),
    field("submitted_at", _("Submitted at"), "submitted_at", kind=Kind.DATETIME, convert=local_datetime),
    field("deadline", _("Deadline"), "deadline", kind=Kind.DATE, width=14),
]


def export_rows(user, filters: dict):
    return filter_requests(requests_visible_to(user), filters).order_by("reference", "pk")
