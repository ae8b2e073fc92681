"""Payment orders of a grant: the advance on acceptance, the balance or recovery at closing or
termination, and what counts as already paid."""

from decimal import Decimal

import pytest

from core.models import PaymentOrder
from grants.models import GrantApplication
from grants.workflow import State
from tests.factories import RecognitionFactory, staff
from tests.grants.factories import (
    CallFactory,
    GrantApplicationFactory,
    StaffCast,
    act,
    advance_to,
    pay,
)

pytestmark = pytest.mark.django_db

AWARD = Decimal("35000.00")
ADVANCE = Decimal("24500.00")  # 70 % of the award


def orders_of(application) -> list[tuple[str, Decimal]]:
    return [
        (order.kind, order.amount)
        for order in PaymentOrder.objects.filter(object_id=application.pk).order_by("pk")
    ]


def settled_orders(application) -> list[tuple[str, Decimal]]:
    """The orders created at closing or termination (the advance left out)."""
    return [order for order in orders_of(application) if order[0] != PaymentOrder.Kind.GRANT_ADVANCE]


def with_final_report(**fields):
    application = GrantApplicationFactory(**fields)
    cast = StaffCast(application)
    return advance_to(application, State.FINAL_REPORT_SUBMITTED, cast, awarded=AWARD), cast


def close(application, cast, accepted: str):
    return act(application, "close", cast.approver, accepted_expenses=accepted)


def terminate(application, cast, accepted: str):
    return act(application, "terminate", cast.approver, accepted_expenses=accepted, comment="It stopped.")


# -- the advance --------------------------------------------------------------------------------------


def test_accepting_the_award_orders_the_advance_to_the_lead_organisations_account():
    lead = RecognitionFactory(
        organisation__iban="BE68539007547034", organisation__bic="BBRUBEBB"
    ).organisation
    application = advance_to(
        GrantApplicationFactory(lead_organisation=lead), State.IN_PROGRESS, awarded=AWARD
    )

    order = PaymentOrder.objects.get(object_id=application.pk)
    assert (order.kind, order.state, order.amount) == (
        PaymentOrder.Kind.GRANT_ADVANCE,
        PaymentOrder.State.PENDING,
        ADVANCE,
    )
    assert (order.counterparty_name, order.counterparty_iban, order.counterparty_bic) == (
        lead.name,
        "BE68539007547034",
        "BBRUBEBB",
    )


def test_the_advance_order_carries_the_files_reference_and_administration():
    application = advance_to(GrantApplicationFactory(), State.IN_PROGRESS, awarded=AWARD)

    order = PaymentOrder.objects.get(object_id=application.pk)
    assert (order.file, order.file_reference, order.administration) == (
        application,
        application.reference,
        application.administration,
    )
    assert order.remittance_information.startswith(application.reference)


def test_the_advance_is_the_calls_percentage_of_the_award_rounded_to_the_cent():
    application = GrantApplicationFactory(requested_amount=Decimal("40000.00"))

    advance_to(application, State.IN_PROGRESS, awarded=Decimal("33333.33"))

    assert orders_of(application) == [(PaymentOrder.Kind.GRANT_ADVANCE, Decimal("23333.33"))]


def test_the_advance_follows_the_calls_percentage():
    application = GrantApplicationFactory(call=CallFactory(advance_percentage=Decimal("50.00")))

    advance_to(application, State.IN_PROGRESS, awarded=Decimal("35000.01"))

    assert orders_of(application) == [(PaymentOrder.Kind.GRANT_ADVANCE, Decimal("17500.01"))]


def test_a_call_without_an_advance_orders_no_payment_on_acceptance():
    application = GrantApplicationFactory(call=CallFactory(advance_percentage=Decimal("0.00")))

    advance_to(application, State.IN_PROGRESS, awarded=AWARD)

    assert orders_of(application) == []


# -- closing --------------------------------------------------------------------------------------------


def test_closing_with_expenses_above_the_award_pays_the_award_minus_the_advance():
    application, cast = with_final_report()

    close(application, cast, "41000.00")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_BALANCE, AWARD - ADVANCE)]


def test_closing_with_expenses_below_the_award_pays_the_expenses_minus_the_advance():
    application, cast = with_final_report()

    close(application, cast, "30000.00")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_BALANCE, Decimal("5500.00"))]


def test_closing_with_expenses_below_the_advance_orders_the_difference_back():
    application, cast = with_final_report()

    close(application, cast, "20000.00")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_RECOVERY, Decimal("4500.00"))]


def test_closing_with_expenses_equal_to_the_advance_orders_nothing():
    application, cast = with_final_report()

    close(application, cast, str(ADVANCE))

    assert settled_orders(application) == []


def test_the_balance_and_recovery_orders_are_pending_for_the_lead_organisation():
    application, cast = with_final_report()

    close(application, cast, "20000.00")

    recovery = PaymentOrder.objects.get(object_id=application.pk, kind=PaymentOrder.Kind.GRANT_RECOVERY)
    assert (recovery.state, recovery.counterparty_iban, recovery.is_receivable) == (
        PaymentOrder.State.PENDING,
        application.lead_organisation.iban,
        True,
    )


@pytest.mark.parametrize(
    ("accepted", "final_cost"),
    [("41000.00", "35000.00"), ("35000.00", "35000.00"), ("30000.00", "30000.00"), ("0.00", "0.00")],
)
def test_closing_keeps_on_the_envelope_the_lesser_of_award_and_accepted_expenses(accepted, final_cost):
    application, cast = with_final_report()

    close(application, cast, accepted)

    stored = GrantApplication.objects.get(pk=application.pk)
    assert (stored.reserved_amount, stored.accepted_expenses) == (Decimal(final_cost), Decimal(accepted))


def test_a_cancelled_advance_does_not_count_as_paid_at_closing():
    application, cast = with_final_report()
    advance = PaymentOrder.objects.get(object_id=application.pk)
    act(advance, "cancel", staff("finance"), comment="Wrong account.")

    close(application, cast, "30000.00")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_BALANCE, Decimal("30000.00"))]


def test_a_paid_advance_counts_as_paid_at_closing():
    application, cast = with_final_report()
    pay(PaymentOrder.objects.get(object_id=application.pk))

    close(application, cast, "30000.00")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_BALANCE, Decimal("5500.00"))]


# -- termination ------------------------------------------------------------------------------------------


def in_progress():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    return advance_to(application, State.IN_PROGRESS, cast, awarded=AWARD), cast


def test_terminating_with_expenses_below_the_advance_orders_the_difference_back():
    application, cast = in_progress()

    terminate(application, cast, "10000.00")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_RECOVERY, Decimal("14500.00"))]


def test_terminating_with_no_accepted_expenses_recovers_the_whole_advance():
    application, cast = in_progress()

    terminate(application, cast, "0")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_RECOVERY, ADVANCE)]


def test_terminating_with_expenses_above_the_advance_pays_the_difference():
    application, cast = in_progress()

    terminate(application, cast, "30000.00")

    assert settled_orders(application) == [(PaymentOrder.Kind.GRANT_BALANCE, Decimal("5500.00"))]


def test_terminating_keeps_only_the_accepted_expenses_on_the_envelope():
    application, cast = in_progress()

    terminate(application, cast, "10000.00")

    assert GrantApplication.objects.get(pk=application.pk).reserved_amount == Decimal("10000.00")


def test_a_cancelled_advance_leaves_nothing_to_recover_at_termination():
    application, cast = in_progress()
    act(PaymentOrder.objects.get(object_id=application.pk), "cancel", staff("finance"), comment="Stopped.")

    terminate(application, cast, "0")

    assert settled_orders(application) == []
