"""Guarantee factories: the fund with its parameters, a lender, a complete draft, and a helper that
walks a request through the real transitions to any state."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from core.instruction import declare_conflict
from core.workflow import perform_transition
from guarantees.models import Fund, GuaranteeRequest, SchemeParameters
from guarantees.services import record_risk_review
from guarantees.states import State
from tests.factories import OrganisationFactory, RecognitionFactory, applicant, staff


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = "Fonds de garantie"


class SchemeParametersFactory(factory.django.DjangoModelFactory):
    """SPEC §5 defaults: capacity 5 000 000 × 4 = 20 000 000 €."""

    class Meta:
        model = SchemeParameters

    fund = factory.SubFactory(FundFactory)
    effective_from = date(2024, 1, 1)
    endowment = Decimal("5000000.00")
    leverage_multiplier = Decimal("4.00")
    organisation_cap = Decimal("500000.00")
    market_premiums = factory.LazyFunction(lambda: {"A": 0.4, "B": 0.8, "C": 2.0, "D": 3.8, "E": 6.3})


def scheme_parameters(**overrides) -> SchemeParameters:
    """The parameters in force (the seeded version when there is one), with `overrides` applied."""
    parameters = SchemeParameters.objects.in_force_on(timezone.localdate())
    if parameters is None:
        parameters = SchemeParametersFactory()
    if overrides:
        for field, value in overrides.items():
            setattr(parameters, field, value)
        parameters.save()
    return parameters


def lender_organisation(**fields):
    return OrganisationFactory(lender=True, bic="GEBABEBB", iban="BE68539007547034", **fields)


class GuaranteeRequestFactory(factory.django.DjangoModelFactory):
    """A complete draft, ready to submit: an eligible Cocof borrower, an annuity loan of 100 000 €."""

    class Meta:
        model = GuaranteeRequest

    borrower = factory.LazyFunction(lambda: RecognitionFactory().organisation)
    lender = factory.LazyFunction(lender_organisation)
    purpose = "Renovation of the shared day centre"
    loan_amount = Decimal("100000.00")
    duration_months = 60
    interest_rate = Decimal("4.00")
    repayment_profile = "annuity"
    requested_coverage = Decimal("75.00")
    collateral = "Mortgage mandate"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        scheme_parameters()
        return super()._create(model_class, *args, **kwargs)


class Cast:
    """The people acting on one request."""

    def __init__(self, request):
        self.borrower = applicant(request.borrower)
        self.lender = applicant(request.lender)
        self.officer = staff("officer")
        self.reviewer = staff("officer")
        self.approver = staff("approver")


def act(request, name, user, **data):
    return perform_transition(file=request, name=name, acting_user=user, data=data)


def risk_review(request, reviewer, rating="B"):
    if not request.conflict_declarations.filter(officer=reviewer).exists():
        declare_conflict(file=request, acting_user=reviewer, has_conflict=False)
    return record_risk_review(
        acting_user=reviewer,
        request=request,
        rating=rating,
        justification="Sound accounts, stable income.",
        recommendation="offer",
    )


ORDER = [
    State.SUBMITTED,
    State.SCREENING,
    State.UNDER_REVIEW,
    State.OFFERED,
    State.ACTIVE,
    State.CALLED,
    State.CLAIM_PAID,
]


def advance_to(request, target: str, cast: Cast | None = None, *, coverage="75", disbursed_on=None):
    """Walk the request through the real transitions until it reaches `target`."""
    cast = cast or Cast(request)
    disbursed_on = disbursed_on or timezone.localdate() - timedelta(days=200)
    for state in ORDER[: ORDER.index(target) + 1]:
        if state == State.SUBMITTED:
            request = act(request, "submit", cast.borrower)
        elif state == State.SCREENING:
            request = act(request, "start_screening", cast.officer)
        elif state == State.UNDER_REVIEW:
            request = act(request, "start_review", cast.officer)
        elif state == State.OFFERED:
            risk_review(request, cast.reviewer)
            request = act(request, "offer", cast.approver, coverage=coverage)
            if request.offered_at.date() > disbursed_on:
                # Tests put the loan in the past: the offer is dated before the disbursement.
                GuaranteeRequest.objects.filter(pk=request.pk).update(
                    offered_at=timezone.now() - timedelta(days=400)
                )
                request.refresh_from_db()
        elif state == State.ACTIVE:
            request = act(
                request,
                "activate",
                cast.lender,
                disbursed_on=disbursed_on.isoformat(),
                disbursed_amount=str(request.loan_amount),
            )
        elif state == State.CALLED:
            request = act(
                request,
                "call",
                cast.lender,
                default_date=(timezone.localdate() - timedelta(days=10)).isoformat(),
                outstanding_principal="80000.00",
                arrears_amount="6000.00",
                arrears_days=120,
            )
        elif state == State.CLAIM_PAID:
            request = act(request, "pay_claim", cast.approver)
    return request


def ready_for_decision(**fields):
    request = advance_to(GuaranteeRequestFactory(**fields), State.UNDER_REVIEW)
    cast = Cast(request)
    risk_review(request, cast.reviewer)
    return request, cast
