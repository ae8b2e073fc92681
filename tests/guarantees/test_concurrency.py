"""Guarantee races with real parallel PostgreSQL connections (skipped on SQLite, which has no row locks)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import Conflict
from core.models import PaymentOrder
from guarantees.fees import bill_due_fees
from guarantees.models import GuaranteeRequest
from guarantees.selectors import fund_exposure
from guarantees.states import State
from tests.parallel import run_in_parallel

from .factories import GuaranteeRequestFactory, act, advance_to, ready_for_decision, scheme_parameters

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def offer_in_parallel(files) -> list:
    return run_in_parallel(
        len(files), lambda i: act(files[i][0], "offer", files[i][1].approver, coverage="75")
    )


def test_of_two_simultaneous_offers_on_a_fund_for_one_only_one_wins(reference_data):
    scheme_parameters(endowment=Decimal("25000.00"))  # capacity 100 000 €, each offer 75 000 €
    files = [ready_for_decision() for _ in range(2)]

    results = offer_in_parallel(files)

    assert sum(isinstance(result, GuaranteeRequest) for result in results) == 1
    assert [r.code for r in results if isinstance(r, Conflict)] == ["fund_capacity_exceeded"]
    assert fund_exposure() == Decimal("75000.00")


def test_five_simultaneous_offers_on_a_fund_for_three_offer_exactly_three(reference_data):
    scheme_parameters(endowment=Decimal("56250.00"))  # capacity 225 000 € = 3 × 75 000 €
    files = [ready_for_decision() for _ in range(5)]

    results = offer_in_parallel(files)

    assert sum(isinstance(result, GuaranteeRequest) for result in results) == 3
    assert GuaranteeRequest.objects.filter(state=State.OFFERED).count() == 3
    assert fund_exposure() == Decimal("225000.00")


def test_two_simultaneous_offers_to_one_organisation_never_exceed_its_cap(reference_data):
    scheme_parameters(organisation_cap=Decimal("100000.00"))
    first = ready_for_decision()
    second = ready_for_decision(borrower=first[0].borrower)

    results = offer_in_parallel([first, second])

    assert [r.code for r in results if isinstance(r, Conflict)] == ["organisation_cap_exceeded"]
    assert GuaranteeRequest.objects.filter(state=State.OFFERED).count() == 1


def test_the_fee_run_started_twice_at_once_bills_each_period_once(reference_data):
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    due = request.fee_periods.filter(starts_on__lte=timezone.localdate()).count()

    results = run_in_parallel(2, lambda i: bill_due_fees())

    assert sum(results) == due
    assert PaymentOrder.objects.filter(kind=PaymentOrder.Kind.GUARANTEE_FEE).count() == due
