"""The guarantee workflow of SPEC §5 through the shared transition service: each transition, its
role, its refusals and its effects."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import HistoryEntry, Notification, PaymentOrder
from core.payments import payment_orders_of
from guarantees.models import GuaranteeRequest
from guarantees.selectors import fund_exposure, fund_status, portfolio_tables, with_exposure
from guarantees.services import report_recovery
from guarantees.states import State
from tests.factories import applicant, staff

from .factories import (
    Cast,
    GuaranteeRequestFactory,
    act,
    advance_to,
    ready_for_decision,
    risk_review,
    scheme_parameters,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Refusals are asserted in English (the site's default is French); notifications follow each
    recipient's own language whatever is active."""
    with translation.override("en"):
        yield


def test_submission_allocates_a_gar_reference_and_routes_to_the_borrowers_administration():
    request = advance_to(GuaranteeRequestFactory(), State.SUBMITTED)

    assert request.reference.startswith(f"GAR-{timezone.localdate().year}-")
    assert request.administration.code == "cocof"
    assert request.eligibility_snapshot


def test_a_loan_below_the_minimum_is_refused_next_to_the_amount_with_the_minimum():
    request = GuaranteeRequestFactory(loan_amount=Decimal("5000.00"))

    with pytest.raises(InvalidInput) as refusal:
        act(request, "submit", applicant(request.borrower))

    assert "10" in refusal.value.errors["loan_amount"][0]["message"]
    assert refusal.value.errors["loan_amount"][0]["code"] == "loan_below_minimum"


def test_a_credit_line_longer_than_three_years_is_refused_next_to_the_duration():
    request = GuaranteeRequestFactory(
        repayment_profile="credit_line", duration_months=48, requested_coverage=Decimal("50")
    )

    with pytest.raises(InvalidInput) as refusal:
        act(request, "submit", applicant(request.borrower))

    assert refusal.value.errors["duration_months"][0]["message"] == "At most 36 months for a credit line."


def test_a_coverage_above_75_percent_of_an_amortising_loan_is_refused_with_the_limit():
    request = GuaranteeRequestFactory(requested_coverage=Decimal("80"))

    with pytest.raises(InvalidInput) as refusal:
        act(request, "submit", applicant(request.borrower))

    assert refusal.value.errors["requested_coverage"][0]["message"] == "At most 75 % for an amortising loan."


def test_only_the_borrowers_members_submit():
    request = GuaranteeRequestFactory()

    with pytest.raises(NotPermitted):
        act(request, "submit", applicant())


def test_an_information_request_needs_a_comment_and_the_borrower_answers_it():
    request = advance_to(GuaranteeRequestFactory(), State.SCREENING)
    cast = Cast(request)

    with pytest.raises(InvalidInput):
        act(request, "request_information", cast.officer)
    request = act(request, "request_information", cast.officer, comment="Send the annual accounts.")
    request = act(request, "answer", cast.borrower)

    assert request.state == State.SCREENING


def test_an_officer_declares_a_request_ineligible_with_a_reason():
    request = advance_to(GuaranteeRequestFactory(), State.SCREENING)

    request = act(request, "declare_ineligible", staff("officer"), comment="The loan finances a company.")

    assert request.state == State.INELIGIBLE


def test_an_offer_needs_the_risk_review_first():
    request = advance_to(GuaranteeRequestFactory(), State.UNDER_REVIEW)

    with pytest.raises(Conflict) as refusal:
        act(request, "offer", staff("approver"), coverage="75")

    assert refusal.value.code == "risk_review_required"


def test_the_officer_who_rated_the_risk_cannot_offer():
    request, cast = ready_for_decision()
    reviewer_approver = staff("approver")
    risk_review(request, reviewer_approver)

    with pytest.raises(NotPermitted) as refusal:
        act(request, "offer", reviewer_approver, coverage="75")

    assert refusal.value.code == "four_eyes"


def test_an_offer_reserves_the_guaranteed_amount_and_keeps_the_parameters_in_force():
    request, cast = ready_for_decision()

    request = act(request, "offer", cast.approver, coverage="75")

    assert request.state == State.OFFERED
    assert request.guaranteed_amount == Decimal("75000.00")
    assert request.parameters == scheme_parameters()
    assert fund_exposure() == Decimal("75000.00")
    assert request.offer_expires_on > timezone.localdate()
    assert request.aid_equivalent == Decimal("0.00")  # rating B: a 0.8 % premium below the 1 % fee


def test_a_new_parameter_version_never_changes_an_existing_offer():
    request, cast = ready_for_decision()
    request = act(request, "offer", cast.approver, coverage="75")
    old = request.parameters
    old.pk = None
    old.effective_from = timezone.localdate()
    old.fee_rate = Decimal("2.00")
    old.save()

    request.refresh_from_db()
    assert request.parameters.fee_rate == Decimal("1.00")
    assert request.fee_rate == Decimal("1.00")


def test_an_offer_beyond_the_maximum_coverage_is_refused_next_to_the_coverage():
    request, cast = ready_for_decision()

    with pytest.raises(InvalidInput) as refusal:
        act(request, "offer", cast.approver, coverage="80")

    assert refusal.value.errors["coverage"][0]["code"] == "coverage_too_high"


def test_an_offer_beyond_the_funds_capacity_is_refused_saying_what_is_left():
    scheme_parameters(endowment=Decimal("25000.00"))  # capacity 100 000 €
    first, first_cast = ready_for_decision()
    act(first, "offer", first_cast.approver, coverage="75")
    second, cast = ready_for_decision()

    with pytest.raises(Conflict) as refusal:
        act(second, "offer", cast.approver, coverage="75")

    assert refusal.value.code == "fund_capacity_exceeded"
    assert "25" in refusal.value.message and "100" in refusal.value.message  # 25 000 € remain of 100 000 €
    assert GuaranteeRequest.objects.get(pk=second.pk).state == State.UNDER_REVIEW


def test_an_offer_beyond_the_organisations_cap_is_refused_saying_what_is_left():
    scheme_parameters(organisation_cap=Decimal("100000.00"))
    first, first_cast = ready_for_decision()
    act(first, "offer", first_cast.approver, coverage="75")
    second, cast = ready_for_decision(borrower=first.borrower)

    with pytest.raises(Conflict) as refusal:
        act(second, "offer", cast.approver, coverage="75")

    assert refusal.value.code == "organisation_cap_exceeded"
    assert "25" in refusal.value.message


def test_an_offer_beyond_the_de_minimis_ceiling_is_refused_saying_what_is_left():
    scheme_parameters(de_minimis_ceiling=Decimal("1000.00"))
    request, cast = ready_for_decision()
    risk_review(request, cast.reviewer, rating="E")  # 6.3 % premium: 75 000 × 5.3 % × 5 years

    with pytest.raises(Conflict) as refusal:
        act(request, "offer", cast.approver, coverage="75")

    assert refusal.value.code == "de_minimis_exceeded"
    assert "19" in refusal.value.message  # the aid equivalent, 19 875,00 €


def test_passing_the_alert_threshold_notifies_the_approvers():
    scheme_parameters(endowment=Decimal("22500.00"))  # capacity 90 000 €: 75 000 € is 83 %
    request, cast = ready_for_decision()

    act(request, "offer", cast.approver, coverage="75")

    alerts = Notification.objects.filter(subject__contains="83")
    assert alerts.filter(recipient=cast.approver).exists()


def test_a_rejection_needs_a_reason_and_frees_nothing_because_nothing_was_reserved():
    request, cast = ready_for_decision()

    request = act(request, "reject", cast.approver, comment="Repayment capacity too weak.")

    assert request.state == State.REJECTED
    assert fund_exposure() == 0


def test_activation_by_the_lender_builds_the_schedule_and_the_fee_calendar():
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)

    assert request.schedule_lines.count() == 60
    assert sum(line.principal for line in request.schedule_lines.all()) == Decimal("100000.00")
    assert request.fee_periods.count() == 20
    assert not HistoryEntry.objects.for_file(request).filter(transition="acted_for_lender").exists()


def test_an_officer_may_activate_for_the_lender_and_the_history_says_so():
    request = advance_to(GuaranteeRequestFactory(), State.OFFERED)

    request = act(
        request,
        "activate",
        staff("officer"),
        disbursed_on=timezone.localdate().isoformat(),
        disbursed_amount="100000.00",
    )

    assert request.state == State.ACTIVE
    assert HistoryEntry.objects.for_file(request).filter(transition="acted_for_lender").exists()


def test_the_borrower_cannot_activate():
    request = advance_to(GuaranteeRequestFactory(), State.OFFERED)

    with pytest.raises(NotPermitted):
        act(
            request,
            "activate",
            applicant(request.borrower),
            disbursed_on=timezone.localdate().isoformat(),
            disbursed_amount="100000.00",
        )


def test_a_disbursement_above_the_loan_is_refused_next_to_the_amount():
    request = advance_to(GuaranteeRequestFactory(), State.OFFERED)

    with pytest.raises(InvalidInput) as refusal:
        act(
            request,
            "activate",
            applicant(request.lender),
            disbursed_on=timezone.localdate().isoformat(),
            disbursed_amount="100000.01",
        )

    assert refusal.value.errors["disbursed_amount"][0]["code"] == "disbursement_above_loan"


def test_an_expired_offer_cannot_be_activated_and_lapses_freeing_the_capacity():
    request = advance_to(GuaranteeRequestFactory(), State.OFFERED)
    GuaranteeRequest.objects.filter(pk=request.pk).update(
        offer_expires_on=timezone.localdate() - timedelta(days=1)
    )
    request.refresh_from_db()

    with pytest.raises(Conflict) as refusal:
        act(
            request,
            "activate",
            applicant(request.lender),
            disbursed_on=timezone.localdate().isoformat(),
            disbursed_amount="1000.00",
        )
    from guarantees.tasks import lapse_expired_offers

    lapsed = lapse_expired_offers.call()

    assert refusal.value.code == "offer_expired"
    assert lapsed == 1
    assert GuaranteeRequest.objects.get(pk=request.pk).state == State.LAPSED
    assert fund_exposure() == 0


def test_a_running_guarantee_weighs_its_outstanding_guaranteed_amount():
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    repaid = sum(line.principal for line in request.schedule_lines.filter(due_date__lte=timezone.localdate()))

    assert fund_exposure() == ((Decimal("100000.00") - repaid) * Decimal("0.75")).quantize(Decimal("0.01"))
    assert fund_status()["remaining"] == Decimal("20000000.00") - fund_exposure()


def test_every_portfolio_table_sums_each_guarantees_own_exposure_by_its_key():
    running = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    offered = advance_to(GuaranteeRequestFactory(lender=running.lender), State.OFFERED)
    advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    exposures = {r.pk: r.exposure for r in with_exposure(GuaranteeRequest.objects.all())}

    tables = portfolio_tables()

    by_lender = {row["key"]: row["exposure"] for row in tables["lender"]}
    assert by_lender[running.lender.name_fr] == exposures[running.pk] + exposures[offered.pk]
    by_state = {row["key"]: row for row in tables["status"]}
    assert by_state[State.OFFERED]["offered"] == exposures[offered.pk] == offered.guaranteed_amount
    assert by_state[State.ACTIVE]["outstanding"] == sum(v for pk, v in exposures.items() if pk != offered.pk)
    for rows in tables.values():
        assert sum(row["exposure"] for row in rows) == fund_exposure()


def test_release_frees_the_capacity():
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)

    act(request, "release", applicant(request.lender))

    assert fund_exposure() == 0


def test_a_call_before_the_arrears_rule_is_refused():
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)

    with pytest.raises(Conflict) as refusal:
        act(
            request,
            "call",
            applicant(request.lender),
            default_date=timezone.localdate().isoformat(),
            outstanding_principal="80000",
            arrears_amount="3000",
            arrears_days=60,
        )

    assert refusal.value.code == "call_too_early"
    assert "90" in refusal.value.message


def test_only_the_lender_calls_the_guarantee():
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)

    with pytest.raises(NotPermitted):
        act(
            request,
            "call",
            applicant(request.borrower),
            default_date=timezone.localdate().isoformat(),
            outstanding_principal="80000",
            arrears_amount="3000",
            arrears_days=120,
        )
    with pytest.raises(NotPermitted):
        act(
            request,
            "call",
            applicant(GuaranteeRequestFactory().lender),
            default_date=timezone.localdate().isoformat(),
            outstanding_principal="80000",
            arrears_amount="3000",
            arrears_days=120,
        )


def test_paying_the_claim_orders_the_payout_to_the_lender():
    scheme_parameters(lender_loss_cap=Decimal("100.00"))
    request = advance_to(GuaranteeRequestFactory(), State.CLAIM_PAID)

    order = payment_orders_of(request).get(kind=PaymentOrder.Kind.GUARANTEE_CLAIM_PAYOUT)
    assert request.claim_amount == Decimal("60591.78")
    assert order.amount == request.claim_amount
    assert order.counterparty_bic == request.lender.bic


def test_a_claim_is_paid_up_to_the_lenders_loss_cap():
    request = advance_to(GuaranteeRequestFactory(), State.CLAIM_PAID)  # 15 % of 75 000 € = 11 250 €

    order = payment_orders_of(request).get(kind=PaymentOrder.Kind.GUARANTEE_CLAIM_PAYOUT)
    assert order.amount == request.claim_amount == Decimal("11250.00")


def test_a_claim_is_refused_once_the_lenders_loss_cap_is_reached():
    request = advance_to(GuaranteeRequestFactory(), State.CALLED)
    scheme_parameters(lender_loss_cap=Decimal("0.00"))

    with pytest.raises(Conflict) as refusal:
        act(request, "pay_claim", staff("approver"))

    assert refusal.value.code == "lender_cap_exceeded"


def test_an_offer_is_refused_when_the_claims_paid_to_the_lender_already_reach_its_loss_cap():
    paid = advance_to(GuaranteeRequestFactory(), State.CLAIM_PAID)  # 11 250 € paid
    scheme_parameters(lender_loss_cap=Decimal("5.00"))  # 5 % of 150 000 € = 7 500 €
    request, cast = ready_for_decision(lender=paid.lender)

    with pytest.raises(Conflict) as refusal:
        act(request, "offer", cast.approver, coverage="75")

    assert refusal.value.code == "lender_cap_exceeded"
    assert "11" in refusal.value.message


def test_a_rejected_call_returns_the_guarantee_to_active():
    request = advance_to(GuaranteeRequestFactory(), State.CALLED)

    request = act(request, "reject_call", staff("approver"), comment="The arrears were cured.")

    assert request.state == State.ACTIVE


def test_recoveries_are_shared_pro_rata_and_the_file_closes_once_they_are_settled():
    request = advance_to(GuaranteeRequestFactory(), State.CLAIM_PAID)
    lender = applicant(request.lender)
    approver = staff("approver")

    with pytest.raises(Conflict) as early:
        act(request, "close", approver)
    recovery = report_recovery(
        acting_user=lender,
        request=request,
        received_on=timezone.localdate(),
        amount=Decimal("10000.00"),
        final=True,
    )
    with pytest.raises(Conflict) as unpaid:
        act(request, "close", approver)
    order = recovery.payment_order
    finance, other_finance = staff("finance"), staff("finance")
    order = act(order, "approve", finance)
    order = act(order, "mark_paid", other_finance)
    request = act(request, "close", approver)

    assert early.value.code == unpaid.value.code == "recoveries_not_settled"
    assert recovery.fund_share == Decimal("7500.00")  # 75 % of 10 000 €
    assert order.kind == PaymentOrder.Kind.RECOVERY_SHARE and order.is_receivable
    assert request.state == State.CLOSED


def test_the_borrower_withdraws_before_a_decision_but_not_after_it():
    request = advance_to(GuaranteeRequestFactory(), State.UNDER_REVIEW)
    borrower = applicant(request.borrower)

    act(request, "withdraw", borrower)
    offered = advance_to(GuaranteeRequestFactory(), State.OFFERED)

    assert GuaranteeRequest.objects.get(pk=request.pk).state == State.WITHDRAWN
    with pytest.raises(Conflict):
        act(offered, "withdraw", applicant(offered.borrower))


def test_submission_notifies_the_officers_and_an_offer_notifies_borrower_and_lender():
    request = GuaranteeRequestFactory()
    cast = Cast(request)
    request = advance_to(request, State.OFFERED, cast)

    assert Notification.objects.filter(
        recipient=cast.officer, subject__contains="examen de recevabilité"
    ).exists()
    assert Notification.objects.filter(recipient=cast.borrower, subject__contains="offerts jusqu'au").exists()
    assert Notification.objects.filter(recipient=cast.lender, subject__contains="offerts jusqu'au").exists()


def test_the_approver_may_offer_a_lower_fee_and_a_shorter_validity():
    request, cast = ready_for_decision()
    expiry = timezone.localdate() + timedelta(days=30)

    request = act(
        request, "offer", cast.approver, coverage="60", fee_rate="0.50", offer_expires_on=expiry.isoformat()
    )

    assert (request.fee_rate, request.offer_expires_on, request.guaranteed_amount) == (
        Decimal("0.50"),
        expiry,
        Decimal("60000.00"),
    )


def test_an_offer_cannot_be_valid_longer_than_the_parameters_allow():
    request, cast = ready_for_decision()

    with pytest.raises(InvalidInput) as refusal:
        act(
            request,
            "offer",
            cast.approver,
            coverage="60",
            offer_expires_on=(timezone.localdate() + timedelta(days=400)).isoformat(),
        )

    assert "offer_expires_on" in refusal.value.errors
