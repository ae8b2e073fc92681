"""The agreement and declaration workflows through the shared transition service (SPEC §6)."""

from decimal import Decimal

import pytest

from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import HistoryEntry, Notification, PaymentOrder
from core.payments import payment_orders_of
from peer_mentoring.models import ProgrammeSettings
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import applicant, staff

from .factories import act, agreement_in, declaration_in, draft_agreement

pytestmark = pytest.mark.django_db


def test_a_proposed_agreement_gets_a_men_reference_and_the_mentees_administration():
    agreement, _cast = agreement_in(AgreementState.PROPOSED)

    assert agreement.reference.startswith("MEN-")
    assert agreement.administration.code == "cocof"


def test_the_proposer_cannot_confirm_its_own_proposal():
    agreement, cast = agreement_in(AgreementState.PROPOSED)

    with pytest.raises(NotPermitted) as refusal:
        act(agreement, "confirm", cast.mentor)

    assert refusal.value.code == "proposer_cannot_confirm"


def test_a_mentee_may_propose_and_the_mentor_confirms():
    agreement, cast = draft_agreement()
    agreement.initiated_by = "mentee"
    agreement.save()

    agreement = act(agreement, "propose", cast.mentee)
    agreement = act(agreement, "confirm", cast.mentor)

    assert agreement.state == AgreementState.SUBMITTED


def test_confirmation_notifies_the_approvers_of_the_mentees_administration():
    agreement, cast = agreement_in(AgreementState.SUBMITTED)

    assert Notification.objects.filter(recipient=cast.approver, link=agreement.get_absolute_url()).exists()


def test_approval_without_rate_and_cap_takes_the_programme_defaults():
    agreement, cast = agreement_in(AgreementState.SUBMITTED)
    ProgrammeSettings.objects.update_or_create(pk=1, defaults={"default_hourly_rate": Decimal("55.00")})

    agreement = act(agreement, "approve", cast.approver)

    assert (agreement.hourly_rate, agreement.hours_cap) == (Decimal("55.00"), Decimal("60.00"))


def test_approval_is_for_approvers_only():
    agreement, cast = agreement_in(AgreementState.SUBMITTED)

    with pytest.raises(NotPermitted):
        act(agreement, "approve", cast.officer)


def test_rejection_needs_a_reason():
    agreement, cast = agreement_in(AgreementState.SUBMITTED)

    with pytest.raises(InvalidInput):
        act(agreement, "reject", cast.approver)


def test_an_agreement_can_be_withdrawn_before_approval_but_not_after():
    proposed, cast = agreement_in(AgreementState.PROPOSED)
    assert act(proposed, "withdraw", cast.mentee).state == AgreementState.WITHDRAWN

    active, cast = agreement_in(AgreementState.ACTIVE)
    with pytest.raises(Conflict):
        act(active, "withdraw", cast.mentor)


def test_termination_records_its_reason():
    agreement, cast = agreement_in(AgreementState.ACTIVE)

    agreement = act(agreement, "terminate", cast.approver, comment="The mentee closed its project.")

    assert agreement.state == AgreementState.TERMINATED
    assert HistoryEntry.objects.for_file(agreement).last().comment == "The mentee closed its project."


def test_completion_records_the_mentees_evaluation():
    agreement, _cast = agreement_in(AgreementState.COMPLETED)

    assert (agreement.evaluation_usefulness, agreement.evaluation_would_recommend) == (4, True)
    assert agreement.evaluation_pooled == "A payroll office"


def test_completion_is_refused_while_a_declaration_awaits_a_decision():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.SUBMITTED, agreement, cast)

    with pytest.raises(Conflict) as refusal:
        act(agreement, "complete", cast.mentee, usefulness="3", pooled="x")

    assert refusal.value.code == "declarations_pending"


def test_only_the_mentee_completes_the_agreement():
    agreement, cast = agreement_in(AgreementState.ACTIVE)

    with pytest.raises(NotPermitted):
        act(agreement, "complete", cast.mentor, usefulness="3", pooled="x")


# -- declarations ----------------------------------------------------------------------------------


def test_a_validated_declaration_orders_hours_times_rate_to_the_mentors_account():
    agreement, cast = agreement_in(AgreementState.ACTIVE, rate="62.50")

    declaration = declaration_in(DeclarationState.VALIDATED, agreement, cast, hours=("2.25", "1.5"))

    order = payment_orders_of(declaration).get()
    assert declaration.amount == Decimal("234.38")  # 3.75 h × 62.50 € = 234.375, half-up
    assert (order.kind, order.amount) == (PaymentOrder.Kind.MENTORING_COMPENSATION, Decimal("234.38"))
    assert (order.counterparty_iban, order.administration.code) == (cast.mentor_organisation.iban, "cocof")


def test_the_mentee_may_contest_with_a_reason_and_the_mentor_resubmits():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.CONTESTED, agreement, cast)

    declaration = act(declaration, "resubmit", cast.mentor)

    assert declaration.state == DeclarationState.SUBMITTED
    assert (
        Notification.objects.filter(recipient=cast.mentee, link=declaration.get_absolute_url()).count() == 2
    )


def test_contesting_needs_a_reason():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.SUBMITTED, agreement, cast)

    with pytest.raises(InvalidInput):
        act(declaration, "contest", cast.mentee)


def test_the_mentor_cannot_confirm_its_own_hours():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.SUBMITTED, agreement, cast)

    with pytest.raises(NotPermitted):
        act(declaration, "confirm", cast.mentor)


def test_a_member_of_another_organisation_cannot_submit():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast)

    with pytest.raises(NotPermitted):
        act(declaration, "submit", applicant())


def test_a_rejected_declaration_orders_nothing():
    agreement, cast = agreement_in(AgreementState.ACTIVE)

    declaration = declaration_in(DeclarationState.REJECTED, agreement, cast)

    assert not payment_orders_of(declaration).exists()


def test_confirmed_hours_reach_the_approvers():
    agreement, cast = agreement_in(AgreementState.ACTIVE)

    declaration = declaration_in(DeclarationState.CONFIRMED, agreement, cast)

    assert Notification.objects.filter(recipient=cast.approver, link=declaration.get_absolute_url()).exists()


def test_an_agreement_with_an_iriscare_mentee_is_approved_by_iriscare_not_cocof():
    from .factories import Cast

    agreement, cast = agreement_in(AgreementState.SUBMITTED, Cast(administration_code="iriscare"))
    assert agreement.administration.code == "iriscare"

    with pytest.raises(NotPermitted):
        act(agreement, "approve", staff("approver", "cocof"))
    assert act(agreement, "approve", cast.approver).state == AgreementState.ACTIVE


def test_the_declarations_of_an_iriscare_agreement_belong_to_iriscare():
    from .factories import Cast

    agreement, cast = agreement_in(AgreementState.ACTIVE, Cast(administration_code="iriscare"))

    declaration = declaration_in(DeclarationState.VALIDATED, agreement, cast)

    assert declaration.administration.code == "iriscare"
    assert payment_orders_of(declaration).get().administration.code == "iriscare"
