"""Guarantees use the shared instruction tools: messages with the borrower and the lender, the
officers' search, conflicts of interest on the offer."""

import pytest

from core import instruction, messaging
from core.exceptions import NotPermitted
from core.models import Notification
from core.search import search_files
from core.workflow import available_transitions, perform_transition
from guarantees.states import State
from tests.guarantees.factories import Cast, GuaranteeRequestFactory, advance_to, ready_for_decision

pytestmark = pytest.mark.django_db


def screened():
    request = GuaranteeRequestFactory()
    cast = Cast(request)
    return advance_to(request, State.SCREENING, cast), cast


def test_an_officer_s_message_reaches_the_borrower_s_and_the_lender_s_members():
    request, cast = screened()

    messaging.post_message(
        file=request, acting_user=cast.officer, body="Merci de joindre le plan de financement."
    )

    for member in (cast.borrower, cast.lender):
        assert Notification.objects.filter(recipient=member, subject__contains=request.reference).exists()


def test_the_lender_reads_the_thread_but_never_an_internal_note():
    request, cast = screened()
    messaging.post_message(
        file=request, acting_user=cast.officer, body="Note: check the collateral", internal=True
    )
    messaging.post_message(file=request, acting_user=cast.borrower, body="Voici le plan.")

    assert [message.body for message in messaging.thread(request, cast.lender)] == ["Voici le plan."]


def test_a_guarantee_is_found_by_its_borrower_s_name():
    request, cast = screened()
    word = request.borrower.name_fr.split()[-1]

    rows = search_files(cast.officer, request.borrower.name_fr)

    assert request.reference in [row["reference"] for row in rows], word


def test_an_approver_who_declared_a_conflict_is_not_offered_the_offer():
    request, cast = ready_for_decision()
    instruction.declare_conflict(
        file=request, acting_user=cast.approver, has_conflict=True, explanation="Board"
    )

    assert "offer" not in [spec.name for spec in available_transitions(request, cast.approver)]
    with pytest.raises(NotPermitted):
        perform_transition(file=request, name="offer", acting_user=cast.approver, data={"coverage": "70"})
