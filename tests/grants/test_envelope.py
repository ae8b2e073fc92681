"""Awards within the call's envelope per administration, and the envelopes' budget computed in SQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Administration
from core.exceptions import Conflict
from core.models import PaymentOrder
from core.money import format_money
from grants.models import Envelope, GrantApplication
from grants.selectors import envelopes_with_budget
from grants.workflow import State
from tests.grants.factories import (
    CallFactory,
    GrantApplicationFactory,
    StaffCast,
    act,
    advance_to,
    iriscare_application,
    past_deadline,
    pay,
    ready_for_decision,
)

pytestmark = pytest.mark.django_db


def approve(application, cast, amount: str):
    return act(application, "approve", cast.approver, awarded_amount=amount)


def stored(application) -> GrantApplication:
    return GrantApplication.objects.get(pk=application.pk)


def budget_of(call) -> dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]:
    return {
        envelope.administration.code: (envelope.amount, envelope.committed, envelope.paid, envelope.remaining)
        for envelope in envelopes_with_budget(call)
    }


@pytest.fixture
def small_call():
    """A call whose Cocof envelope covers one award of 35 000 € but not two."""
    return CallFactory(envelopes={"cocof": Decimal("50000.00"), "iriscare": Decimal("50000.00")})


# -- reserving on approval --------------------------------------------------------------------------


def test_approval_reserves_the_awarded_amount():
    application, cast = ready_for_decision()

    approve(application, cast, "32500.00")

    assert (stored(application).awarded_amount, stored(application).reserved_amount) == (
        Decimal("32500.00"),
        Decimal("32500.00"),
    )


def test_approval_gives_the_applicant_the_calls_acceptance_days_to_accept():
    application, cast = ready_for_decision(call=CallFactory(acceptance_days=45))

    approve(application, cast, "35000.00")

    assert stored(application).acceptance_deadline == timezone.localdate() + timedelta(days=45)


def test_an_approval_the_envelope_cannot_cover_is_refused_with_what_remains(small_call):
    first, first_cast = ready_for_decision(call=small_call)
    approve(first, first_cast, "35000.00")
    second, second_cast = ready_for_decision(call=small_call)

    with pytest.raises(Conflict) as refusal:
        approve(second, second_cast, "35000.00")

    assert refusal.value.code == "envelope_exhausted"
    assert format_money(Decimal("15000.00")) in refusal.value.message


def test_a_refused_approval_leaves_the_file_under_review_with_nothing_reserved(small_call):
    first, first_cast = ready_for_decision(call=small_call)
    approve(first, first_cast, "35000.00")
    second, second_cast = ready_for_decision(call=small_call)

    with pytest.raises(Conflict):
        approve(second, second_cast, "35000.00")

    assert (stored(second).state, stored(second).reserved_amount, stored(second).awarded_amount) == (
        State.UNDER_REVIEW,
        Decimal("0.00"),
        None,
    )


def test_an_award_may_use_exactly_what_remains(small_call):
    first, first_cast = ready_for_decision(call=small_call)
    approve(first, first_cast, "35000.00")
    second, second_cast = ready_for_decision(call=small_call)

    assert approve(second, second_cast, "15000.00").state == State.APPROVED


def test_a_cocof_award_does_not_consume_the_iriscare_envelope(small_call):
    cocof, cocof_cast = ready_for_decision(call=small_call)
    approve(cocof, cocof_cast, "35000.00")
    iriscare, iriscare_cast = ready_for_decision(
        iriscare_application(call=small_call), administration_code="iriscare"
    )

    assert approve(iriscare, iriscare_cast, "35000.00").state == State.APPROVED


def test_lapsing_an_award_releases_its_reservation(small_call):
    application, cast = ready_for_decision(call=small_call)
    approve(application, cast, "35000.00")

    act(past_deadline(application), "lapse", cast.officer)

    assert stored(application).reserved_amount == Decimal("0.00")


def test_after_a_lapse_another_file_can_be_approved_on_the_freed_envelope(small_call):
    lapsed, lapsed_cast = ready_for_decision(call=small_call)
    approve(lapsed, lapsed_cast, "35000.00")
    act(past_deadline(lapsed), "lapse", lapsed_cast.officer)
    other, other_cast = ready_for_decision(call=small_call)

    assert approve(other, other_cast, "35000.00").state == State.APPROVED


def test_a_rejection_reserves_nothing(small_call):
    application, cast = ready_for_decision(call=small_call)

    act(application, "reject", cast.approver, comment="Not a mutualisation.")

    assert stored(application).reserved_amount == Decimal("0.00")
    assert budget_of(small_call)["cocof"][1] == Decimal("0.00")


def test_a_withdrawn_application_reserves_nothing(small_call):
    application, cast = ready_for_decision(call=small_call)

    act(application, "withdraw", cast.applicant)

    assert budget_of(small_call)["cocof"][1] == Decimal("0.00")


# -- the envelopes' budget --------------------------------------------------------------------------


def test_the_budget_of_an_untouched_call_is_its_envelopes(small_call):
    assert budget_of(small_call) == {
        "cocof": (Decimal("50000.00"), Decimal("0.00"), Decimal("0.00"), Decimal("50000.00")),
        "iriscare": (Decimal("50000.00"), Decimal("0.00"), Decimal("0.00"), Decimal("50000.00")),
    }


def test_the_budget_counts_awards_as_committed_and_paid_orders_as_paid():
    call = CallFactory(envelopes={"cocof": Decimal("100000.00"), "iriscare": Decimal("80000.00")})
    paid_advance = advance_to(
        GrantApplicationFactory(call=call), State.IN_PROGRESS, awarded=Decimal("30000.00")
    )
    pay(PaymentOrder.objects.get(object_id=paid_advance.pk, kind=PaymentOrder.Kind.GRANT_ADVANCE))
    advance_to(GrantApplicationFactory(call=call), State.IN_PROGRESS, awarded=Decimal("20000.00"))  # pending
    iriscare = iriscare_application(call=call)
    advance_to(iriscare, State.APPROVED, StaffCast(iriscare, "iriscare"), awarded=Decimal("10000.00"))

    assert budget_of(call) == {
        "cocof": (Decimal("100000.00"), Decimal("50000.00"), Decimal("21000.00"), Decimal("50000.00")),
        "iriscare": (Decimal("80000.00"), Decimal("10000.00"), Decimal("0.00"), Decimal("70000.00")),
    }


def test_the_budget_subtracts_paid_recoveries_from_what_was_paid():
    call = CallFactory(envelopes={"cocof": Decimal("100000.00")})
    application = GrantApplicationFactory(call=call)
    cast = StaffCast(application)
    application = advance_to(application, State.FINAL_REPORT_SUBMITTED, cast, awarded=Decimal("30000.00"))
    act(application, "close", cast.approver, accepted_expenses="15000.00")
    for order in PaymentOrder.objects.filter(object_id=application.pk):
        pay(order)

    assert budget_of(call)["cocof"] == (
        Decimal("100000.00"),
        Decimal("15000.00"),
        Decimal("15000.00"),  # the 21 000 € advance minus the 6 000 € recovered
        Decimal("85000.00"),
    )


def test_the_budget_ignores_payment_orders_of_other_calls():
    call = CallFactory(envelopes={"cocof": Decimal("100000.00")})
    other = advance_to(GrantApplicationFactory(), State.IN_PROGRESS, awarded=Decimal("30000.00"))
    pay(PaymentOrder.objects.get(object_id=other.pk))

    assert budget_of(call)["cocof"][1:3] == (Decimal("0.00"), Decimal("0.00"))


def test_the_budget_costs_one_query_whatever_the_number_of_envelopes(django_assert_num_queries):
    one = CallFactory(envelopes={"cocof": Decimal("100000.00")})
    three = CallFactory(envelopes={"cocof": Decimal("100000.00"), "iriscare": Decimal("100000.00")})
    extra = Administration.objects.create(code="vgc", name_fr="VGC", name_nl="VGC")
    Envelope.objects.create(call=three, administration=extra, amount=Decimal("100000.00"))
    for call in (one, three):
        advance_to(GrantApplicationFactory(call=call), State.IN_PROGRESS, awarded=Decimal("30000.00"))

    with django_assert_num_queries(1):
        assert len(budget_of(one)) == 1
    with django_assert_num_queries(1):
        assert len(budget_of(three)) == 3
