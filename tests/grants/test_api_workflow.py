"""The grant workflow through the API: each refusal answers 400, 403, 404 or 409 (SPEC §7)."""

from decimal import Decimal

import pytest

from grants.workflow import State
from tests.api.errors import field_messages
from tests.factories import RecognitionFactory, applicant, staff
from tests.grants.factories import CallFactory, Cast, GrantApplicationFactory, advance_to, review

pytestmark = pytest.mark.django_db


def url(application, suffix="") -> str:
    return f"/api/v1/grants/applications/{application.pk}/{suffix}"


def submit(client_for, application):
    return client_for(applicant(application.lead_organisation)).post(
        url(application, "transitions/submit/"), {}, format="json"
    )


# -- 400: what the submission needs ------------------------------------------------------------------


def test_submitting_without_a_partner_is_refused_with_a_partners_error(client_for):
    response = submit(client_for, GrantApplicationFactory(partners=[]))

    assert response.status_code == 400
    assert "partners" in response.json()["errors"]


def test_submitting_to_a_closed_call_is_refused_with_a_call_error(client_for):
    response = submit(client_for, GrantApplicationFactory(call=CallFactory(closed=True)))

    assert response.status_code == 400
    assert "applications cannot be submitted now" in field_messages(response, "call")[0]


def test_submitting_without_the_statutes_the_call_requires_is_refused(client_for):
    response = submit(client_for, GrantApplicationFactory(call=CallFactory(required_documents=["statutes"])))

    assert response.status_code == 400
    assert field_messages(response, "documents") == ["Missing documents: Statutes."]


def test_approving_without_an_amount_is_refused_with_a_field_error(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.UNDER_REVIEW, cast)
    review(application, cast.reviewer)

    response = client_for(cast.approver).post(url(application, "transitions/approve/"), {}, format="json")

    assert response.status_code == 400
    assert "awarded_amount" in response.json()["errors"]


# -- 403: the caller sees the file but may not act -----------------------------------------------------


def test_an_applicant_cannot_admit_its_own_application(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.SCREENING, cast)

    response = client_for(cast.applicant).post(url(application, "transitions/admit/"), {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"


def test_an_approver_cannot_approve_a_file_it_screened(client_for):
    cast = Cast(application := GrantApplicationFactory())
    cast.officer = cast.approver
    application = advance_to(application, State.UNDER_REVIEW, cast)
    review(application, cast.reviewer)

    response = client_for(cast.approver).post(
        url(application, "transitions/approve/"), {"awarded_amount": "30000.00"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "four_eyes"


def test_an_officer_cannot_take_the_approvers_decision(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.UNDER_REVIEW, cast)
    review(application, cast.reviewer)

    response = client_for(staff("officer")).post(
        url(application, "transitions/approve/"), {"awarded_amount": "30000.00"}, format="json"
    )

    assert response.status_code == 403


# -- 404: outside the caller's scope -------------------------------------------------------------------


def test_another_applicant_does_not_see_the_application(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant()).get(url(application))

    assert response.status_code == 404


def test_another_applicant_cannot_submit_the_application(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant()).post(url(application, "transitions/submit/"), {}, format="json")

    assert response.status_code == 404


def test_an_iriscare_officer_does_not_see_a_cocof_file(client_for):
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    response = client_for(staff("officer", "iriscare")).get(url(application))

    assert response.status_code == 404


def test_an_iriscare_officer_cannot_screen_a_cocof_file(client_for):
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    response = client_for(staff("officer", "iriscare")).post(
        url(application, "transitions/start_screening/"), {}, format="json"
    )

    assert response.status_code == 404


def test_an_iriscare_officer_sees_a_file_routed_to_iriscare(client_for):
    lead = RecognitionFactory(iriscare=True).organisation
    application = advance_to(GrantApplicationFactory(lead_organisation=lead), State.SUBMITTED)

    response = client_for(staff("officer", "iriscare")).get(url(application))

    assert (response.status_code, response.json()["administration"]) == (200, "iriscare")


def test_officers_do_not_see_drafts(client_for):
    application = GrantApplicationFactory()

    response = client_for(staff("officer")).get(url(application))

    assert response.status_code == 404


# -- 409: the state does not allow it -----------------------------------------------------------------


def test_submitting_twice_is_refused_with_409(client_for):
    application = GrantApplicationFactory()
    client = client_for(applicant(application.lead_organisation))
    client.post(url(application, "transitions/submit/"), {}, format="json")

    response = client.post(url(application, "transitions/submit/"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_an_award_the_envelope_cannot_cover_is_refused_with_409(client_for):
    cast = Cast(
        application := GrantApplicationFactory(call=CallFactory(envelopes={"cocof": Decimal("20000")}))
    )
    application = advance_to(application, State.UNDER_REVIEW, cast)
    review(application, cast.reviewer)

    response = client_for(cast.approver).post(
        url(application, "transitions/approve/"), {"awarded_amount": "35000.00"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "envelope_exhausted"
    assert "€20,000.00" in response.json()["detail"]


def test_the_available_transitions_follow_the_state_and_role(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.SCREENING, cast)

    response = client_for(cast.officer).get(url(application, "transitions/"))

    assert {t["name"] for t in response.json()} == {"request_information", "declare_ineligible", "admit"}
