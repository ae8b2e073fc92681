"""Instructing a file: assignment (and the work queue's "mine" / "unassigned"), review requests,
and conflict-of-interest declarations that take an officer off a file's review and decision."""

import pytest
from django.core.exceptions import ValidationError

from core import instruction
from core.exceptions import NotPermitted, ServiceError
from core.models import HistoryEntry, Notification
from core.work_queue import work_queue
from core.workflow import available_transitions, perform_transition
from grants.services import record_review
from grants.states import State
from tests.factories import applicant, staff
from tests.grants.factories import application_in, ready_for_decision, review

pytestmark = pytest.mark.django_db

SCORES = {
    "relevance": 4,
    "feasibility": 4,
    "partnership": 4,
    "budget": 4,
    "public_effect": 4,
    "recommendation": "award",
}


def queue_references(user, **filters) -> list[str]:
    return [row["reference"] for row in work_queue(user, {"scheme": "grants", **filters})]


def test_an_officer_assigns_a_file_to_a_colleague_who_is_told_and_sees_it_under_mine():
    application, cast = application_in(State.SCREENING)
    colleague = staff("officer")

    instruction.assign(file=application, acting_user=cast.officer, officer=colleague)

    assert queue_references(colleague, assignment="mine") == [application.reference]
    assert queue_references(cast.officer, assignment="mine") == []
    assert Notification.objects.filter(recipient=colleague, subject__contains=application.reference).exists()


def test_the_unassigned_filter_leaves_assigned_files_out():
    assigned, cast = application_in(State.SCREENING)
    waiting, _cast = application_in(State.SCREENING)
    instruction.assign(file=assigned, acting_user=cast.officer, officer=cast.officer)

    assert queue_references(cast.officer, assignment="unassigned") == [waiting.reference]


def test_the_queue_shows_who_each_file_is_assigned_to():
    application, cast = application_in(State.SCREENING)
    instruction.assign(file=application, acting_user=cast.officer, officer=cast.officer)

    (row,) = work_queue(cast.officer, {"scheme": "grants"})

    assert row["assignee"] == f"{cast.officer.first_name} {cast.officer.last_name}"


def test_a_file_cannot_be_assigned_to_an_officer_of_another_administration():
    application, cast = application_in(State.SCREENING)

    with pytest.raises(ValidationError) as refusal:
        instruction.assign(file=application, acting_user=cast.officer, officer=staff("officer", "iriscare"))

    assert list(refusal.value.message_dict) == ["officer"]


def test_an_applicant_may_not_assign_its_file():
    application, cast = application_in(State.SCREENING)

    with pytest.raises(NotPermitted):
        instruction.assign(file=application, acting_user=cast.applicant, officer=cast.officer)


def test_an_assignment_and_its_removal_are_in_the_history_for_staff_only():
    application, cast = application_in(State.SCREENING)

    instruction.assign(file=application, acting_user=cast.officer, officer=cast.officer)
    instruction.assign(file=application, acting_user=cast.officer, officer=None)

    rows = HistoryEntry.objects.for_file(application).filter(transition__in=["assigned", "unassigned"])
    assert [(row.transition, row.staff_only) for row in rows] == [("assigned", True), ("unassigned", True)]
    assert (
        not HistoryEntry.objects.for_file(application)
        .seen_by(cast.applicant, application)
        .filter(transition="assigned")
        .exists()
    )


def test_an_approver_asks_officers_to_review_and_each_is_told_to_declare_first():
    application, cast = application_in(State.UNDER_REVIEW)
    first, second = staff("officer"), staff("officer")

    instruction.request_reviews(file=application, acting_user=cast.approver, officers=[first, second])

    for officer in (first, second):
        (notice,) = Notification.objects.filter(recipient=officer)
        assert application.reference in notice.subject


def test_only_an_approver_asks_for_reviews():
    application, cast = application_in(State.UNDER_REVIEW)

    with pytest.raises(NotPermitted):
        instruction.request_reviews(file=application, acting_user=cast.officer, officers=[staff("officer")])


def test_a_reviewer_must_declare_before_recording_a_review():
    application, cast = application_in(State.UNDER_REVIEW)

    with pytest.raises(ServiceError) as refusal:
        record_review(acting_user=cast.reviewer, application=application, data=SCORES)

    assert refusal.value.code == "conflict_not_declared"


def test_a_reviewer_who_declared_no_conflict_records_the_review():
    application, cast = application_in(State.UNDER_REVIEW)
    instruction.declare_conflict(file=application, acting_user=cast.reviewer, has_conflict=False)

    record_review(acting_user=cast.reviewer, application=application, data=SCORES)

    assert application.reviews.filter(reviewer=cast.reviewer).exists()


def test_a_declared_conflict_keeps_the_officer_from_reviewing():
    application, cast = application_in(State.UNDER_REVIEW)
    instruction.declare_conflict(
        file=application, acting_user=cast.reviewer, has_conflict=True, explanation="I sit on its board."
    )

    with pytest.raises(NotPermitted) as refusal:
        record_review(acting_user=cast.reviewer, application=application, data=SCORES)

    assert refusal.value.code == "conflict_of_interest"


def test_an_approver_who_declared_a_conflict_is_not_offered_the_decision():
    application, cast = ready_for_decision()
    instruction.declare_conflict(
        file=application, acting_user=cast.approver, has_conflict=True, explanation="My sister runs it."
    )

    assert [spec.name for spec in available_transitions(application, cast.approver)] == []
    with pytest.raises(NotPermitted):
        perform_transition(
            file=application, name="approve", acting_user=cast.approver, data={"awarded_amount": "1000"}
        )


def test_another_approver_without_a_conflict_still_decides():
    application, cast = ready_for_decision()
    instruction.declare_conflict(
        file=application, acting_user=cast.approver, has_conflict=True, explanation="Board"
    )
    other = staff("approver")

    application = perform_transition(
        file=application, name="approve", acting_user=other, data={"awarded_amount": "1000.00"}
    )

    assert application.state == State.APPROVED


def test_a_conflict_needs_an_explanation():
    application, cast = application_in(State.UNDER_REVIEW)

    with pytest.raises(ValidationError) as refusal:
        instruction.declare_conflict(file=application, acting_user=cast.reviewer, has_conflict=True)

    assert list(refusal.value.message_dict) == ["explanation"]


def test_a_declaration_is_made_once():
    application, cast = application_in(State.UNDER_REVIEW)
    instruction.declare_conflict(file=application, acting_user=cast.reviewer, has_conflict=False)

    with pytest.raises(ServiceError) as refusal:
        instruction.declare_conflict(file=application, acting_user=cast.reviewer, has_conflict=False)

    assert refusal.value.code == "already_declared"


def test_declaring_a_conflict_ends_the_officer_s_assignment():
    application, cast = application_in(State.UNDER_REVIEW)
    instruction.assign(file=application, acting_user=cast.officer, officer=cast.reviewer)

    instruction.declare_conflict(
        file=application, acting_user=cast.reviewer, has_conflict=True, explanation="Board"
    )

    assert not application.assignments.exists()


def test_a_file_cannot_be_assigned_to_someone_with_a_declared_conflict():
    application, cast = application_in(State.UNDER_REVIEW)
    instruction.declare_conflict(
        file=application, acting_user=cast.reviewer, has_conflict=True, explanation="Board"
    )

    with pytest.raises(NotPermitted):
        instruction.assign(file=application, acting_user=cast.officer, officer=cast.reviewer)


def test_the_four_eyes_rule_still_keeps_the_only_reviewer_from_deciding():
    application, cast = application_in(State.UNDER_REVIEW)
    approver_reviewer = staff("approver")
    review(application, approver_reviewer)

    assert [spec.name for spec in available_transitions(application, approver_reviewer)] == []


def test_an_applicant_sees_no_instruction_panel():
    application, cast = application_in(State.SCREENING)

    assert instruction.panel_context(
        application, applicant(application.lead_organisation), url_name="grants:instruction"
    ) == {"instruction": None}
