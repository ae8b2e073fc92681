"""Every transition of the grant workflow (SPEC §4), who may perform it, and its history row."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Membership, StaffRole
from core.audit import EVENT_LABELS
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import HistoryEntry, PaymentOrder
from core.workflow import available_transitions
from grants.choices import ReportKind
from grants.models import GrantApplication
from grants.services import file_report
from grants.workflow import WITHDRAWABLE, State
from tests.factories import StaffRoleFactory, administration, applicant, staff
from tests.grants.factories import (
    GrantApplicationFactory,
    StaffCast,
    act,
    advance_to,
    application_in,
    past_deadline,
    ready_for_decision,
    review,
)

pytestmark = pytest.mark.django_db


def last_entry(application) -> HistoryEntry:
    return HistoryEntry.objects.for_file(application).last()


def state_in_database(application) -> str:
    return GrantApplication.objects.get(pk=application.pk).state


def partner_member(application):
    return applicant(application.partners.first())


def file_final_report(application, user) -> None:
    line = application.budget_lines.first()
    file_report(
        acting_user=user,
        application=application,
        kind=ReportKind.FINAL,
        activities="The accountant was hired.",
        expenses={line.pk: line.amount},
    )


# -- applicants ------------------------------------------------------------------------------------


def test_a_member_of_the_lead_organisation_submits_the_application():
    application = GrantApplicationFactory()
    member = applicant(application.lead_organisation, role=Membership.Role.MEMBER)

    submitted = act(application, "submit", member)

    assert submitted.state == State.SUBMITTED
    assert (last_entry(submitted).transition, last_entry(submitted).actor) == ("submit", member)


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (State.DRAFT, "submit"),
        (State.INFORMATION_REQUESTED, "resubmit"),
        (State.APPROVED, "accept"),
        (State.DRAFT, "withdraw"),
    ],
)
def test_a_member_of_a_partner_organisation_may_not_act_for_the_applicant(state, name):
    application, _cast = application_in(state)

    with pytest.raises(NotPermitted) as refusal:
        act(application, name, partner_member(application))

    assert refusal.value.status_code == 403
    assert state_in_database(application) == state


def test_a_member_of_a_partner_organisation_may_not_submit_the_final_report():
    application, _cast = application_in(State.FINAL_REPORT_SUBMITTED)
    application = act(application, "request_report_changes", staff("officer"), comment="Add the invoices.")

    with pytest.raises(NotPermitted):
        act(application, "submit_final_report", partner_member(application))


def test_an_applicant_resubmits_the_requested_information_and_screening_resumes():
    application, cast = application_in(State.INFORMATION_REQUESTED)

    resubmitted = act(application, "resubmit", cast.applicant, comment="Statutes attached.")

    assert resubmitted.state == State.SCREENING
    assert last_entry(resubmitted).transition == "resubmit"


def test_an_applicant_accepts_the_award():
    application, cast = application_in(State.APPROVED)

    accepted = act(application, "accept", cast.applicant)

    assert accepted.state == State.IN_PROGRESS
    assert (last_entry(accepted).transition, last_entry(accepted).actor) == ("accept", cast.applicant)


def accept_before(application, deadline) -> GrantApplication:
    GrantApplication.objects.filter(pk=application.pk).update(acceptance_deadline=deadline)
    return GrantApplication.objects.get(pk=application.pk)


def test_an_award_may_still_be_accepted_on_its_deadline():
    application, cast = application_in(State.APPROVED)
    application = accept_before(application, timezone.localdate())

    assert act(application, "accept", cast.applicant).state == State.IN_PROGRESS


def test_an_award_can_no_longer_be_accepted_after_its_deadline():
    application, cast = application_in(State.APPROVED)
    application = accept_before(application, timezone.localdate() - timedelta(days=1))

    with pytest.raises(Conflict) as refusal:
        act(application, "accept", cast.applicant)

    assert refusal.value.code == "acceptance_deadline_passed"
    assert state_in_database(application) == State.APPROVED
    assert not PaymentOrder.objects.filter(object_id=application.pk).exists()


def test_an_applicant_submits_the_final_report_once_it_is_filed():
    application, cast = application_in(State.IN_PROGRESS)
    file_final_report(application, cast.applicant)

    submitted = act(application, "submit_final_report", cast.applicant)

    assert submitted.state == State.FINAL_REPORT_SUBMITTED
    assert last_entry(submitted).transition == "submit_final_report"


def test_the_final_report_cannot_be_submitted_before_it_is_filed():
    application, cast = application_in(State.IN_PROGRESS)

    with pytest.raises(InvalidInput) as refusal:
        act(application, "submit_final_report", cast.applicant)

    assert "report" in refusal.value.errors
    assert state_in_database(application) == State.IN_PROGRESS


@pytest.mark.parametrize("state", WITHDRAWABLE)
def test_an_applicant_may_withdraw_the_application(state):
    application, cast = application_in(state)

    withdrawn = act(application, "withdraw", cast.applicant, comment="The partners changed their minds.")

    assert withdrawn.state == State.WITHDRAWN
    assert (last_entry(withdrawn).source_state, last_entry(withdrawn).target_state) == (state, "withdrawn")


def test_an_approved_application_can_no_longer_be_withdrawn():
    application, cast = application_in(State.APPROVED)

    with pytest.raises(Conflict) as refusal:
        act(application, "withdraw", cast.applicant)

    assert refusal.value.status_code == 409
    assert refusal.value.code == ErrorCode.INVALID_STATE
    assert state_in_database(application) == State.APPROVED


def test_an_applicant_may_not_screen_their_own_application():
    application, cast = application_in(State.SUBMITTED)

    with pytest.raises(NotPermitted):
        act(application, "start_screening", cast.applicant)


# -- officers --------------------------------------------------------------------------------------


def test_an_officer_starts_screening_and_is_recorded_as_the_screener():
    application, cast = application_in(State.SUBMITTED)

    screening = act(application, "start_screening", cast.officer)

    assert screening.state == State.SCREENING
    assert GrantApplication.objects.get(pk=application.pk).screened_by == cast.officer
    assert (last_entry(screening).transition, last_entry(screening).actor) == (
        "start_screening",
        cast.officer,
    )


def test_requesting_information_needs_a_comment():
    application, cast = application_in(State.SCREENING)

    with pytest.raises(InvalidInput) as refusal:
        act(application, "request_information", cast.officer)

    assert "comment" in refusal.value.errors
    assert state_in_database(application) == State.SCREENING


def test_an_officer_requests_information_with_a_comment():
    application, cast = application_in(State.SCREENING)

    asked = act(application, "request_information", cast.officer, comment="Send the statutes.")

    assert asked.state == State.INFORMATION_REQUESTED
    assert last_entry(asked).comment == "Send the statutes."


def test_declaring_an_application_ineligible_needs_a_reason():
    application, cast = application_in(State.SCREENING)

    with pytest.raises(InvalidInput) as refusal:
        act(application, "declare_ineligible", cast.officer)

    assert "comment" in refusal.value.errors


def test_an_officer_declares_an_application_ineligible_with_a_reason():
    application, cast = application_in(State.SCREENING)

    ineligible = act(application, "declare_ineligible", cast.officer, comment="A single organisation.")

    assert ineligible.state == State.INELIGIBLE
    assert (last_entry(ineligible).transition, last_entry(ineligible).comment) == (
        "declare_ineligible",
        "A single organisation.",
    )


def test_an_officer_admits_an_application_for_review():
    application, cast = application_in(State.SCREENING)

    admitted = act(application, "admit", cast.officer)

    assert admitted.state == State.UNDER_REVIEW
    assert last_entry(admitted).transition == "admit"


def test_an_officer_asks_for_changes_to_the_final_report():
    application, cast = application_in(State.FINAL_REPORT_SUBMITTED)

    reopened = act(application, "request_report_changes", cast.officer, comment="Add the invoices.")

    assert reopened.state == State.IN_PROGRESS
    assert last_entry(reopened).transition == "request_report_changes"


def test_an_officer_lapses_an_award_that_was_not_accepted():
    application, cast = application_in(State.APPROVED)

    lapsed = act(past_deadline(application), "lapse", cast.officer)

    assert lapsed.state == State.LAPSED
    assert (last_entry(lapsed).transition, last_entry(lapsed).actor) == ("lapse", cast.officer)


def test_the_scheduled_job_lapses_an_award_without_a_user():
    application, _cast = application_in(State.APPROVED)

    lapsed = act(past_deadline(application), "lapse", None)

    assert lapsed.state == State.LAPSED
    assert last_entry(lapsed).actor is None


OFFICER_ACTIONS = [
    (State.SUBMITTED, "start_screening", {}),
    (State.SCREENING, "request_information", {"comment": "Send the statutes."}),
    (State.SCREENING, "declare_ineligible", {"comment": "A single organisation."}),
    (State.SCREENING, "admit", {}),
    (State.FINAL_REPORT_SUBMITTED, "request_report_changes", {"comment": "Add the invoices."}),
    (State.APPROVED, "lapse", {}),
]


@pytest.mark.parametrize(("state", "name", "data"), OFFICER_ACTIONS)
def test_an_officer_of_the_other_administration_may_not_act_on_the_file(state, name, data):
    application, _cast = application_in(state)

    with pytest.raises(NotPermitted) as refusal:
        act(application, name, staff("officer", "iriscare"), **data)

    assert refusal.value.status_code == 403
    assert state_in_database(application) == state


# -- approvers -------------------------------------------------------------------------------------


def test_an_approver_awards_the_grant():
    application, cast = ready_for_decision()

    approved = act(application, "approve", cast.approver, awarded_amount="35000.00")

    assert approved.state == State.APPROVED
    entry = last_entry(approved)
    assert (entry.transition, entry.actor, entry.parameters) == (
        "approve",
        cast.approver,
        {"awarded_amount": "35000.00"},
    )


def test_an_officer_without_decision_power_may_not_award_the_grant():
    application, cast = ready_for_decision()

    with pytest.raises(NotPermitted):
        act(application, "approve", staff("officer"), awarded_amount="35000.00")


@pytest.mark.parametrize(
    ("name", "data"),
    [("approve", {"awarded_amount": "35000.00"}), ("reject", {"comment": "Not a mutualisation."})],
)
def test_an_approver_of_the_other_administration_may_not_decide(name, data):
    application, _cast = ready_for_decision()

    with pytest.raises(NotPermitted):
        act(application, name, staff("approver", "iriscare"), **data)

    assert state_in_database(application) == State.UNDER_REVIEW


def test_rejecting_an_application_needs_a_reason():
    application, cast = ready_for_decision()

    with pytest.raises(InvalidInput) as refusal:
        act(application, "reject", cast.approver)

    assert "comment" in refusal.value.errors


def test_an_approver_rejects_an_application_with_a_reason():
    application, cast = ready_for_decision()

    rejected = act(application, "reject", cast.approver, comment="Not a mutualisation.")

    assert rejected.state == State.REJECTED
    assert GrantApplication.objects.get(pk=application.pk).decided_at is not None
    assert (last_entry(rejected).transition, last_entry(rejected).comment) == (
        "reject",
        "Not a mutualisation.",
    )


def test_an_approver_closes_the_grant_after_the_final_report():
    application, cast = application_in(State.FINAL_REPORT_SUBMITTED)

    closed = act(application, "close", cast.approver, accepted_expenses="35000.00")

    assert closed.state == State.CLOSED
    assert last_entry(closed).parameters == {"accepted_expenses": "35000.00"}


def test_an_officer_without_decision_power_may_not_close_the_grant():
    application, cast = application_in(State.FINAL_REPORT_SUBMITTED)

    with pytest.raises(NotPermitted):
        act(application, "close", cast.officer, accepted_expenses="35000.00")


def test_terminating_a_grant_needs_a_reason():
    application, cast = application_in(State.IN_PROGRESS)

    with pytest.raises(InvalidInput) as refusal:
        act(application, "terminate", cast.approver, accepted_expenses="0")

    assert "comment" in refusal.value.errors


def test_an_approver_terminates_a_grant_in_progress_with_a_reason():
    application, cast = application_in(State.IN_PROGRESS)

    terminated = act(
        application,
        "terminate",
        cast.approver,
        accepted_expenses="10000.00",
        comment="The partnership ended.",
    )

    assert terminated.state == State.TERMINATED
    assert (last_entry(terminated).transition, last_entry(terminated).comment) == (
        "terminate",
        "The partnership ended.",
    )


def test_an_approver_of_the_other_administration_may_not_terminate_the_grant():
    application, _cast = application_in(State.IN_PROGRESS)

    with pytest.raises(NotPermitted):
        act(
            application,
            "terminate",
            staff("approver", "iriscare"),
            accepted_expenses="0",
            comment="The partnership ended.",
        )


# -- history ---------------------------------------------------------------------------------------


def test_the_whole_life_of_a_grant_leaves_one_history_row_per_transition():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    application = advance_to(application, State.SCREENING, cast)
    application = act(application, "request_information", cast.officer, comment="Send the statutes.")
    application = act(application, "resubmit", cast.applicant)
    application = act(application, "admit", cast.officer)
    review(application, cast.reviewer)
    application = act(application, "approve", cast.approver, awarded_amount="35000.00")
    application = act(application, "accept", cast.applicant)
    file_final_report(application, cast.applicant)
    application = act(application, "submit_final_report", cast.applicant)
    application = act(application, "request_report_changes", cast.officer, comment="Add the invoices.")
    application = act(application, "submit_final_report", cast.applicant)
    application = act(application, "close", cast.approver, accepted_expenses="35000.00")

    assert [
        (entry.transition, entry.source_state, entry.target_state)
        for entry in HistoryEntry.objects.for_file(application).exclude(transition__in=EVENT_LABELS)
    ] == [
        ("submit", "draft", "submitted"),
        ("start_screening", "submitted", "screening"),
        ("request_information", "screening", "information_requested"),
        ("resubmit", "information_requested", "screening"),
        ("admit", "screening", "under_review"),
        ("approve", "under_review", "approved"),
        ("accept", "approved", "in_progress"),
        ("submit_final_report", "in_progress", "final_report_submitted"),
        ("request_report_changes", "final_report_submitted", "in_progress"),
        ("submit_final_report", "in_progress", "final_report_submitted"),
        ("close", "final_report_submitted", "closed"),
    ]


def test_a_refused_transition_writes_no_history():
    application, cast = application_in(State.SCREENING)
    before = HistoryEntry.objects.for_file(application).count()

    with pytest.raises(InvalidInput):
        act(application, "request_information", cast.officer)

    assert HistoryEntry.objects.for_file(application).count() == before


# -- four eyes -------------------------------------------------------------------------------------


def screened_by_an_officer_who_is_also_an_approver():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    StaffRoleFactory(user=cast.officer, administration=administration("cocof"), role=StaffRole.Role.APPROVER)
    return ready_for_decision(application, cast)


@pytest.mark.parametrize(
    ("name", "data"),
    [("approve", {"awarded_amount": "35000.00"}), ("reject", {"comment": "Not a mutualisation."})],
)
def test_the_officer_who_screened_the_file_may_not_decide_on_it_even_as_an_approver(name, data):
    application, cast = screened_by_an_officer_who_is_also_an_approver()

    with pytest.raises(NotPermitted) as refusal:
        act(application, name, cast.officer, **data)

    assert refusal.value.code == ErrorCode.FOUR_EYES
    assert state_in_database(application) == State.UNDER_REVIEW


def test_the_author_of_the_only_review_may_not_decide():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)
    only_reviewer = staff("approver")
    review(application, only_reviewer)

    with pytest.raises(NotPermitted) as refusal:
        act(application, "approve", only_reviewer, awarded_amount="35000.00")

    assert refusal.value.code == ErrorCode.FOUR_EYES


def test_with_two_reviews_by_different_people_the_author_of_one_may_decide():
    application, cast = ready_for_decision()
    reviewing_approver = staff("approver")
    review(application, reviewing_approver)

    approved = act(application, "approve", reviewing_approver, awarded_amount="35000.00")

    assert approved.state == State.APPROVED


def test_an_award_is_refused_without_any_review():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)

    with pytest.raises(Conflict) as refusal:
        act(application, "approve", staff("approver"), awarded_amount="35000.00")

    assert refusal.value.code == "review_required"
    assert state_in_database(application) == State.UNDER_REVIEW


def test_an_award_above_the_requested_amount_is_refused():
    application, cast = ready_for_decision(requested_amount=Decimal("40000.00"))

    with pytest.raises(InvalidInput) as refusal:
        act(application, "approve", cast.approver, awarded_amount="40000.01")

    assert list(refusal.value.errors) == ["awarded_amount"]
    assert state_in_database(application) == State.UNDER_REVIEW


def test_an_award_cannot_lapse_before_its_acceptance_deadline():
    application, cast = application_in(State.APPROVED)

    with pytest.raises(Conflict) as refusal:
        act(application, "lapse", cast.officer)

    assert refusal.value.status_code == 409
    application.refresh_from_db()
    assert application.state == State.APPROVED


def test_lapse_is_not_offered_before_the_acceptance_deadline():
    application, cast = application_in(State.APPROVED)

    assert "lapse" not in [spec.name for spec in available_transitions(application, cast.officer)]
