"""Mentoring agreements and declarations use the shared instruction tools: messages with both
sides, the officers' search, conflicts of interest on the approval."""

import pytest

from core import instruction, messaging
from core.models import Notification
from core.search import search_files
from core.workflow import available_transitions
from peer_mentoring.states import AgreementState
from tests.peer_mentoring.factories import agreement_in

pytestmark = pytest.mark.django_db


def test_an_officer_s_message_on_an_agreement_reaches_the_mentor_and_the_mentee():
    agreement, cast = agreement_in(AgreementState.SUBMITTED)

    messaging.post_message(
        file=agreement, acting_user=cast.officer, body="Pouvez-vous préciser les objectifs ?"
    )

    for member in (cast.mentor, cast.mentee):
        assert Notification.objects.filter(recipient=member, body__contains="préciser les objectifs").exists()


def test_an_agreement_is_found_by_its_project():
    agreement, cast = agreement_in(AgreementState.SUBMITTED, project="Comptabilité partagée Zinneke")

    assert [row["reference"] for row in search_files(cast.officer, "Zinneke")] == [agreement.reference]


def test_an_approver_who_declared_a_conflict_is_not_offered_the_approval():
    agreement, cast = agreement_in(AgreementState.SUBMITTED)
    instruction.declare_conflict(
        file=agreement, acting_user=cast.approver, has_conflict=True, explanation="I chair the mentor's board"
    )

    assert "approve" not in [spec.name for spec in available_transitions(agreement, cast.approver)]


def test_the_agreement_page_shows_the_messages_and_the_instruction_panel(client):
    agreement, cast = agreement_in(AgreementState.SUBMITTED)
    cast.officer.preferred_language = "en"
    cast.officer.save()
    client.force_login(cast.officer)

    page = client.get(agreement.get_absolute_url()).content.decode()

    assert 'id="messages"' in page and 'id="instruction"' in page
    assert client.get(agreement.get_absolute_url() + "messages/").status_code == 200
