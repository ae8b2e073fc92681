"""Rules on a guarantee request's content, from the scheme parameters in force: each returns
messages by field with the limit in the message, so the draft form, the API and the submission show
the same refusal next to the same field."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import field_errors
from core.money import format_money

from .choices import LoanType, loan_type_of
from .error_codes import GuaranteeErrorCode as Code
from .models import GuaranteeRequest, SchemeParameters


def parameters_in_force(day=None) -> SchemeParameters | None:
    return SchemeParameters.objects.select_related("fund").in_force_on(day or timezone.localdate())


def content_errors(values: dict, parameters: SchemeParameters | None) -> dict[str, list[tuple[str, str]]]:
    """The limits of the scheme on whatever fields are filled (a draft may be incomplete)."""
    errors: dict[str, list[tuple[str, str]]] = {}
    if parameters is None:
        return errors

    def add(field, message, code):
        errors.setdefault(field, []).append((message, code))

    profile = values.get("repayment_profile") or ""
    loan_type = loan_type_of(profile)
    type_label = _("a credit line") if loan_type == LoanType.CREDIT_LINE else _("an amortising loan")
    amount = values.get("loan_amount")
    if amount is not None and amount < parameters.minimum_loan:
        add(
            "loan_amount",
            _("The loan must be at least %(minimum)s.") % {"minimum": format_money(parameters.minimum_loan)},
            Code.LOAN_BELOW_MINIMUM,
        )
    if (
        amount is not None
        and amount * (values.get("requested_coverage") or 0) / 100 > parameters.organisation_cap
    ):
        add(
            "requested_coverage",
            _("The guaranteed amount may be at most %(cap)s per organisation.")
            % {"cap": format_money(parameters.organisation_cap)},
            Code.ORGANISATION_CAP_EXCEEDED,
        )
    months = values.get("duration_months")
    if months is not None and profile and months > parameters.max_duration(profile):
        add(
            "duration_months",
            _("At most %(months)s months for %(type)s.")
            % {"months": parameters.max_duration(profile), "type": type_label},
            Code.DURATION_TOO_LONG,
        )
    coverage = values.get("requested_coverage")
    if coverage is not None and profile and coverage > parameters.max_coverage(profile):
        add(
            "requested_coverage",
            _("At most %(coverage)s %% for %(type)s.")
            % {"coverage": parameters.max_coverage(profile).normalize(), "type": type_label},
            Code.COVERAGE_TOO_HIGH,
        )
    lender = values.get("lender")
    if lender is not None and not lender.is_financial_institution:
        add("lender", _("Choose a financial institution registered as a lender."), Code.NOT_A_LENDER)
    grant = values.get("grant")
    borrower = values.get("borrower")
    if grant is not None and borrower is not None and grant.lead_organisation_id != borrower.pk:
        add("grant", _("Link only a grant of the borrowing organisation."), Code.GRANT_NOT_OF_BORROWER)
    return errors


REQUIRED = {
    "lender": lambda: _("Choose the lending institution."),
    "purpose": lambda: _("Describe the purpose of the loan."),
    "loan_amount": lambda: _("Give the loan amount."),
    "duration_months": lambda: _("Give the duration in months."),
    "interest_rate": lambda: _("Give the interest rate."),
    "repayment_profile": lambda: _("Choose the repayment profile."),
    "requested_coverage": lambda: _("Give the coverage you request."),
}


def request_values(request: GuaranteeRequest) -> dict:
    return {
        "borrower": request.borrower,
        "lender": request.lender,
        "grant": request.grant,
        "purpose": request.purpose,
        "loan_amount": request.loan_amount,
        "duration_months": request.duration_months,
        "interest_rate": request.interest_rate,
        "repayment_profile": request.repayment_profile,
        "requested_coverage": request.requested_coverage,
    }


def completeness_errors(request: GuaranteeRequest) -> dict[str, list[tuple[str, str]]]:
    values = request_values(request)
    errors = {
        field: [(message(), "required")]
        for field, message in REQUIRED.items()
        if values.get(field) in (None, "")
    }
    parameters = parameters_in_force()
    if parameters is None:
        errors.setdefault("non_field_errors", []).append(
            (_("The scheme has no parameters in force: requests cannot be submitted."), Code.NO_PARAMETERS)
        )
    for field, messages in content_errors(values, parameters).items():
        errors.setdefault(field, []).extend(messages)
    return errors


def check_completeness(request: GuaranteeRequest) -> None:
    errors = completeness_errors(request)
    if errors:
        raise field_errors(errors, message=_("The request is not complete or exceeds the scheme's limits."))
