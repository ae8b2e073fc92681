"""What the decision page shows for each guarantee decision: requested against proposed terms, the
risk review, the fund's capacity; the claim against the call."""

from django.utils import formats
from django.utils.translation import gettext as _

from core.money import format_money

from . import selectors
from .rules import parameters_in_force


def _percent(value) -> str:
    return "—" if value is None else f"{value.normalize()} %"


def offer_summary(request, user) -> list:
    parameters = request.parameters or parameters_in_force()
    status = selectors.fund_status(parameters)
    maximum = parameters.max_coverage(request.repayment_profile) if parameters else None
    return [
        (_("Borrower"), request.borrower.name),
        (_("Lender"), request.lender.name if request.lender else "—"),
        (_("Loan requested"), format_money(request.loan_amount)),
        (_("Duration"), _("%(months)s months") % {"months": request.duration_months}),
        (_("Repayment profile"), request.get_repayment_profile_display()),
        (_("Interest rate"), _percent(request.interest_rate)),
        (_("Requested coverage"), _percent(request.requested_coverage)),
        (_("Proposed coverage (at most)"), _percent(maximum)),
        (
            _("Requested guaranteed amount"),
            format_money(request.loan_amount * request.requested_coverage / 100)
            if request.loan_amount and request.requested_coverage
            else "—",
        ),
        (
            _("Fee"),
            f"{_percent(parameters.fee_rate)} ({parameters.get_fee_frequency_display()})"
            if parameters
            else "—",
        ),
        (_("Risk rating"), request.get_risk_rating_display() or "—"),
        (_("Justification"), request.risk_justification or "—"),
        (_("Recommendation"), request.get_recommendation_display() or "—"),
        (_("Remaining fund capacity"), format_money(status["remaining"])),
        (_("Fund use"), f"{status['use']} %"),
    ]


def activation_summary(request, user) -> list:
    return [
        (_("Guaranteed amount offered"), format_money(request.guaranteed_amount)),
        (_("Coverage"), _percent(request.coverage)),
        (
            _("Offer valid until"),
            formats.date_format(request.offer_expires_on) if request.offer_expires_on else "—",
        ),
        (_("Loan amount"), format_money(request.loan_amount)),
    ]


def call_summary(request, user) -> list:
    parameters = request.parameters
    return [
        (_("Guaranteed amount"), format_money(request.guaranteed_amount)),
        (_("Coverage"), _percent(request.coverage)),
        (
            _("Call allowed after"),
            _("%(days)s days of arrears") % {"days": parameters.call_after_arrears_days}
            if parameters
            else "—",
        ),
    ]


def claim_summary(request, user) -> list:
    return [
        (_("Default date"), formats.date_format(request.default_date) if request.default_date else "—"),
        (_("Outstanding principal at default"), format_money(request.default_outstanding)),
        (_("Arrears"), format_money(request.arrears_amount)),
        (_("Days in arrears"), str(request.arrears_days or 0)),
        (_("Coverage"), _percent(request.coverage)),
        (_("Claim"), format_money(request.claim_amount)),
    ]
