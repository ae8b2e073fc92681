"""One answer to "may this person do this?": the same decision function serves the services, the web
and the API; refusals keep their stable code; decision pages show what is being decided."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from core.models import HistoryEntry, ProcessingDeadline
from core.web import workflow_panel_context
from core.workflow import available_transitions
from grants.error_codes import GrantErrorCode
from grants.states import State
from tests.factories import applicant, staff
from tests.grants.factories import (
    GrantApplicationFactory,
    StaffCast,
    act,
    advance_to,
    past_deadline,
    ready_for_decision,
    review,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    """A browser session of `user`, whose pages are in English (their preferred language)."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def token_client(user):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


# -- the same answer on the web and in the API -------------------------------------------------------


def test_a_receipt_before_submission_is_a_conflict_in_the_api_with_its_code():
    draft = GrantApplicationFactory()
    member = applicant(draft.lead_organisation)

    response = token_client(member).get(f"/api/v1/grants/applications/{draft.pk}/receipt/")

    assert response.status_code == 409
    assert response.json()["code"] == GrantErrorCode.NO_RECEIPT_YET


def test_a_receipt_before_submission_sends_the_web_user_back_to_the_file_with_the_same_reason():
    draft = GrantApplicationFactory()
    member = applicant(draft.lead_organisation)

    response = signed_in(member).get(f"/grants/applications/{draft.pk}/receipt.pdf", follow=True)

    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "There is no receipt yet" in response.content.decode()


def test_editing_a_submitted_file_is_a_conflict_in_the_api_and_on_the_web():
    submitted = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    member = applicant(submitted.lead_organisation)

    api = token_client(member).patch(
        f"/api/v1/grants/applications/{submitted.pk}/", {"title": "New"}, format="json"
    )
    web = signed_in(member).get(f"/grants/applications/{submitted.pk}/edit/", follow=True)

    assert api.status_code == 409
    assert api.json()["code"] == GrantErrorCode.NOT_EDITABLE
    assert "can no longer be changed" in web.content.decode()


def test_recording_a_review_outside_review_is_a_conflict_with_its_code():
    screening = advance_to(GrantApplicationFactory(), State.SCREENING)
    officer = staff("officer")

    response = token_client(officer).post(
        f"/api/v1/grants/applications/{screening.pk}/reviews/", {"relevance": 4}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == GrantErrorCode.NOT_UNDER_REVIEW


def test_a_partner_member_may_read_the_file_but_recording_a_report_is_forbidden():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    running = advance_to(application, State.IN_PROGRESS, cast)
    partner_member = applicant(running.partners.get())

    response = token_client(partner_member).post(
        f"/api/v1/grants/applications/{running.pk}/reports/",
        {"kind": "interim", "activities": "x"},
        format="json",
    )

    assert response.status_code == 403


def test_a_refused_award_keeps_its_stable_code_in_the_api():
    from tests.grants.factories import CallFactory

    application, cast = ready_for_decision(call=CallFactory(envelopes={"cocof": Decimal("1000.00")}))

    response = token_client(cast.approver).post(
        f"/api/v1/grants/applications/{application.pk}/transitions/approve/",
        {"awarded_amount": "35000.00"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == GrantErrorCode.ENVELOPE_EXHAUSTED


# -- conditions, not 409s after the click -----------------------------------------------------------


def test_accept_is_not_offered_after_its_deadline():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    approved = past_deadline(advance_to(application, State.APPROVED, cast))

    assert "accept" not in [spec.name for spec in available_transitions(approved, cast.applicant)]


def test_the_applicant_is_told_why_accept_is_no_longer_possible():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    approved = past_deadline(advance_to(application, State.APPROVED, cast))

    unavailable = workflow_panel_context(approved, cast.applicant)["workflow_unavailable"]

    assert [(item["spec"].name, item["code"]) for item in unavailable] == [
        ("accept", GrantErrorCode.ACCEPTANCE_DEADLINE_PASSED)
    ]


def test_accepting_after_the_deadline_answers_409_with_the_deadline_code():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    approved = past_deadline(advance_to(application, State.APPROVED, cast))

    response = token_client(cast.applicant).post(
        f"/api/v1/grants/applications/{approved.pk}/transitions/accept/", {}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == GrantErrorCode.ACCEPTANCE_DEADLINE_PASSED


def test_approve_is_not_offered_before_a_review_and_the_approver_is_told_why():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    under_review = advance_to(application, State.UNDER_REVIEW, cast)

    context = workflow_panel_context(under_review, cast.approver)

    assert "approve" not in [spec.name for spec, _form in context["workflow_actions"]]
    assert {item["spec"].name: item["code"] for item in context["workflow_unavailable"]}["approve"] == (
        GrantErrorCode.REVIEW_REQUIRED
    )


def test_the_only_reviewer_is_told_the_four_eyes_rule_keeps_them_from_deciding():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    under_review = advance_to(application, State.UNDER_REVIEW, cast)
    approver_reviewer = staff("approver")
    review(under_review, approver_reviewer)

    unavailable = workflow_panel_context(under_review, approver_reviewer)["workflow_unavailable"]

    assert {item["code"] for item in unavailable} == {"four_eyes"}


# -- declared effects -----------------------------------------------------------------------------


def test_the_award_effect_reserves_the_amount_and_sets_the_acceptance_deadline():
    application, cast = ready_for_decision()

    approved = act(application, "approve", cast.approver, awarded_amount="35000.00")

    assert approved.reserved_amount == Decimal("35000.00")
    assert approved.acceptance_deadline == date.today() + timedelta(days=approved.call.acceptance_days)


def test_a_refused_effect_changes_nothing():
    from core.exceptions import InvalidInput

    application, cast = ready_for_decision()

    with pytest.raises(InvalidInput):
        act(application, "approve", cast.approver, awarded_amount="999999.00")

    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert application.reserved_amount == Decimal("0.00")
    assert not HistoryEntry.objects.for_file(application).filter(transition="approve").exists()


# -- stored deadlines and progress ----------------------------------------------------------------------


def test_a_file_entering_a_waiting_state_stores_its_processing_deadline():
    ProcessingDeadline.objects.update_or_create(scheme="grants", state="submitted", defaults={"days": 12})

    submitted = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    assert submitted.deadline == date.today() + timedelta(days=12)
    assert submitted.state_entered_at is not None


def test_an_award_is_due_on_its_acceptance_deadline():
    application, cast = ready_for_decision()

    approved = act(application, "approve", cast.approver, awarded_amount="35000.00")

    assert approved.deadline == approved.acceptance_deadline


def test_a_draft_is_due_when_its_call_closes():
    draft = GrantApplicationFactory()

    assert draft.deadline == draft.call.closes_on


def test_a_finished_file_has_no_deadline():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    screening = advance_to(application, State.SCREENING, cast)

    ineligible = act(screening, "declare_ineligible", cast.officer, comment="Not a pooling.")

    assert ineligible.deadline is None


def test_the_progress_shows_the_steps_done_the_current_one_and_those_to_come():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    screening = advance_to(application, State.SCREENING, cast)

    progress = workflow_panel_context(screening, cast.officer)["workflow_progress"]

    assert [step["status"] for step in progress][:4] == ["done", "done", "current", "upcoming"]


def test_a_rejected_file_shows_its_path_and_the_rejection_as_its_last_step():
    application, cast = ready_for_decision()

    rejected = act(application, "reject", cast.approver, comment="Out of scope.")
    progress = workflow_panel_context(rejected, cast.applicant)["workflow_progress"]

    assert progress[-1] == {"label": State.REJECTED.label, "status": "current"}
    assert [step["status"] for step in progress[:-1]] == ["done"] * 4


# -- decision pages show what is decided ------------------------------------------------------------------


def test_the_approval_page_shows_the_requested_amount_the_reviews_and_the_envelope():
    application, cast = ready_for_decision()

    page = signed_in(cast.approver).get(f"/grants/applications/{application.pk}/transitions/approve/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "What you are deciding" in text
    assert "Requested amount" in text and "Reviews" in text and "Left on the envelope" in text


def test_the_submission_page_shows_a_summary_the_declaration_and_the_administration():
    draft = GrantApplicationFactory()
    member = applicant(draft.lead_organisation)

    page = signed_in(member).get(f"/grants/applications/{draft.pk}/transitions/submit/")

    text = page.content.decode()
    assert "Declaration" in text
    assert "Handled by" in text
    assert "Cocof" in text or "COCOF" in text


def test_the_acceptance_page_shows_the_amount_the_conditions_and_the_deadline():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    approved = advance_to(application, State.APPROVED, cast)

    page = signed_in(cast.applicant).get(f"/grants/applications/{approved.pk}/transitions/accept/")

    text = page.content.decode()
    assert "Awarded amount" in text and "Conditions" in text and "Accept before" in text
