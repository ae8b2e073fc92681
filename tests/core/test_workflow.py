"""The shared transition service: permission (403), state (409), input (400), history, notifications."""

from decimal import Decimal

import pytest
from django.core import mail

from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import HistoryEntry, Notification
from core.workflow import available_transitions, perform_transition
from tests.factories import SampleFileFactory, applicant, staff

pytestmark = pytest.mark.django_db


def submitted_file():
    file = SampleFileFactory()
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation), data={})
    file.refresh_from_db()
    return file


def test_submission_moves_the_file_to_submitted_and_gives_it_a_reference():
    file = submitted_file()

    assert file.state == "submitted"
    assert file.reference.startswith("TST-")
    assert file.administration.code == "cocof"


def test_submission_snapshots_every_eligibility_rule():
    file = submitted_file()

    assert {item["rule"] for item in file.eligibility_snapshot["outcomes"]} == {
        "legal_form",
        "brussels_seat",
        "enterprise_number",
        "recognition",
        "joint_committee",
    }


def test_every_transition_writes_one_history_entry_with_actor_states_and_comment():
    file = submitted_file()
    officer = staff("officer")

    perform_transition(file=file, name="start_screening", acting_user=officer, data={"comment": "Starting"})

    entries = list(HistoryEntry.objects.for_file(file))
    assert [(e.transition, e.source_state, e.target_state) for e in entries] == [
        ("submit", "draft", "submitted"),
        ("start_screening", "submitted", "screening"),
    ]
    assert entries[1].actor == officer
    assert entries[1].comment == "Starting"


def test_a_user_without_the_role_is_refused_with_403():
    file = submitted_file()

    with pytest.raises(NotPermitted) as refusal:
        perform_transition(
            file=file, name="start_screening", acting_user=applicant(file.organisation), data={}
        )

    assert refusal.value.status_code == 403


def test_officers_of_another_administration_are_refused():
    file = submitted_file()

    with pytest.raises(NotPermitted):
        perform_transition(
            file=file, name="start_screening", acting_user=staff("officer", "iriscare"), data={}
        )


def test_a_transition_not_allowed_from_the_current_state_is_refused_with_409():
    file = submitted_file()

    with pytest.raises(Conflict) as refusal:
        perform_transition(file=file, name="resubmit", acting_user=applicant(file.organisation), data={})

    assert refusal.value.status_code == 409


def test_a_required_comment_is_refused_when_missing():
    file = submitted_file()
    officer = staff("officer")
    perform_transition(file=file, name="start_screening", acting_user=officer, data={})

    with pytest.raises(InvalidInput) as refusal:
        perform_transition(file=file, name="request_information", acting_user=officer, data={"comment": ""})

    assert "comment" in refusal.value.errors


def test_four_eyes_refuses_a_decision_by_the_officer_who_screened_the_file():
    file = submitted_file()
    approver = staff("approver")
    perform_transition(file=file, name="start_screening", acting_user=approver, data={})

    with pytest.raises(NotPermitted) as refusal:
        perform_transition(file=file, name="approve", acting_user=approver, data={"amount": "1000"})

    assert refusal.value.code == "four_eyes"


def test_a_second_approver_may_decide_and_parameters_are_recorded():
    file = submitted_file()
    perform_transition(file=file, name="start_screening", acting_user=staff("officer"), data={})

    decided = perform_transition(
        file=file, name="approve", acting_user=staff("approver"), data={"amount": "2500.50"}
    )

    assert decided.awarded_amount == Decimal("2500.50")
    assert HistoryEntry.objects.for_file(file).last().parameters == {"amount": "2500.50"}


def test_a_business_rule_refusal_leaves_the_file_and_history_unchanged():
    file = submitted_file()
    perform_transition(file=file, name="start_screening", acting_user=staff("officer"), data={})

    with pytest.raises(Conflict):
        perform_transition(
            file=file, name="approve", acting_user=staff("approver"), data={"amount": "999999"}
        )

    file.refresh_from_db()
    assert file.state == "screening"
    assert HistoryEntry.objects.for_file(file).count() == 2


def test_the_officers_of_the_administration_are_notified_in_their_language_and_by_mail(
    django_capture_on_commit_callbacks,
):
    officer = staff("officer", preferred_language="nl")
    file = SampleFileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        perform_transition(file=file, name="submit", acting_user=applicant(file.organisation), data={})

    assert Notification.objects.filter(recipient=officer).count() == 1
    assert mail.outbox[0].to == [officer.email]


def test_available_transitions_list_only_what_the_user_may_do_now():
    file = SampleFileFactory()

    assert [spec.name for spec in available_transitions(file, applicant(file.organisation))] == [
        "submit",
        "withdraw",
    ]
    assert available_transitions(file, staff("officer")) == []
