"""Drafts through the API: created and changed by the lead's members, checked by the services."""

import pytest

from grants.models import GrantApplication
from grants.workflow import State
from tests.api.errors import field_messages
from tests.factories import OrganisationFactory, RecognitionFactory, applicant, staff
from tests.grants.factories import CallFactory, GrantApplicationFactory, advance_to

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/grants/applications/"


def draft_payload(call=None, lead=None, **fields) -> dict:
    call = call or CallFactory()
    lead = lead or RecognitionFactory().organisation
    return {"call": call.pk, "lead_organisation": lead.pk, "title": "Shared premises", **fields}


def create(client_for, **fields):
    lead = RecognitionFactory().organisation
    return client_for(applicant(lead)).post(APPLICATIONS, draft_payload(lead=lead, **fields), format="json")


def test_a_member_of_the_lead_creates_a_draft_with_partners_and_budget_lines(client_for):
    partner = OrganisationFactory()

    response = create(
        client_for,
        partners=[partner.enterprise_number],
        requested_amount="25000.00",
        budget_lines=[{"category": "equipment", "description": "Shared van", "amount": "30000.00"}],
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["partners"], body["budget_total"]) == (
        "draft",
        [partner.enterprise_number],
        "30000.00",
    )
    assert body["budget_lines"][0]["description"] == "Shared van"


def test_partners_may_be_named_with_a_formatted_enterprise_number(client_for):
    partner = OrganisationFactory()
    number = partner.enterprise_number
    formatted = f"BE {number[:4]}.{number[4:7]}.{number[7:]}"

    response = create(client_for, partners=[formatted])

    assert response.json()["partners"] == [number]


def test_coordination_hours_cost_hours_times_the_hourly_cost(client_for):
    response = create(
        client_for,
        budget_lines=[
            {
                "category": "coordination_hours",
                "description": "Coordination",
                "hours": "120.5",
                "hourly_cost": "48",
            }
        ],
    )

    assert response.json()["budget_lines"][0]["amount"] == "5784.00"


def test_a_draft_lists_what_is_still_missing_before_submission(client_for):
    response = create(client_for)

    missing = {item["field"] for item in response.json()["completeness"]}
    assert {"partners", "budget_lines", "requested_amount", "axes"} <= missing


def test_a_draft_whose_end_date_is_before_its_start_is_refused(client_for):
    response = create(client_for, start_date="2030-06-01", end_date="2030-01-01")

    assert response.status_code == 400
    assert field_messages(response, "end_date") == ["The end date cannot be before the start date."]


def test_a_requested_amount_above_the_calls_maximum_is_refused(client_for):
    response = create(client_for, requested_amount="150000.01")

    assert response.status_code == 400
    assert "maximum" in field_messages(response, "requested_amount")[0]


def test_a_requested_amount_above_the_budget_total_is_refused(client_for):
    response = create(
        client_for,
        requested_amount="60000.00",
        budget_lines=[{"category": "staff", "description": "Accountant", "amount": "50000.00"}],
    )

    assert response.status_code == 400
    assert "total budget" in field_messages(response, "requested_amount")[0]


def test_a_refused_draft_leaves_nothing_behind(client_for):
    create(
        client_for,
        requested_amount="60000.00",
        budget_lines=[{"category": "staff", "description": "Accountant", "amount": "50000.00"}],
    )

    assert not GrantApplication.objects.exists()


def test_an_unknown_partner_is_refused_with_a_partners_error(client_for):
    response = create(client_for, partners=["0999999999"])

    assert response.status_code == 400
    assert "partners" in response.json()["errors"]


def test_a_budget_line_for_coordination_hours_without_hours_is_refused(client_for):
    response = create(
        client_for,
        budget_lines=[{"category": "coordination_hours", "description": "Coordination", "amount": "10"}],
    )

    assert response.status_code == 400
    assert "budget_lines.0" in response.json()["errors"]


def test_staff_cannot_create_a_draft(client_for):
    response = client_for(staff("officer")).post(APPLICATIONS, draft_payload(), format="json")

    assert response.status_code == 403


def test_a_member_cannot_create_a_draft_for_another_organisation(client_for):
    response = client_for(applicant()).post(APPLICATIONS, draft_payload(), format="json")

    assert response.status_code == 403


def test_the_lead_changes_its_draft(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant(application.lead_organisation)).patch(
        f"{APPLICATIONS}{application.pk}/", {"title": "Shared bookkeeping"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Shared bookkeeping"


def test_a_new_budget_and_a_new_amount_are_checked_together(client_for):
    application = GrantApplicationFactory()  # 50 000 € of budget, 40 000 € requested

    response = client_for(applicant(application.lead_organisation)).patch(
        f"{APPLICATIONS}{application.pk}/",
        {
            "requested_amount": "8000.00",
            "budget_lines": [{"category": "training", "description": "Course", "amount": "10000.00"}],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["requested_amount"], response.json()["budget_total"]) == ("8000.00", "10000.00")


def test_a_draft_keeps_its_call(client_for):
    application = GrantApplicationFactory()
    original_call = application.call

    response = client_for(applicant(application.lead_organisation)).patch(
        f"{APPLICATIONS}{application.pk}/", {"call": CallFactory().pk}, format="json"
    )

    assert response.json()["call"] == original_call.pk


def test_the_state_cannot_be_set_by_a_client(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant(application.lead_organisation)).patch(
        f"{APPLICATIONS}{application.pk}/", {"state": "approved", "awarded_amount": "1000.00"}, format="json"
    )

    assert (response.json()["state"], response.json()["awarded_amount"]) == ("draft", None)


def test_a_member_of_a_partner_organisation_cannot_edit_the_draft(client_for):
    partner = OrganisationFactory()
    application = GrantApplicationFactory(partners=[partner])

    response = client_for(applicant(partner)).patch(
        f"{APPLICATIONS}{application.pk}/", {"title": "Taken over"}, format="json"
    )

    assert response.status_code == 403


def test_a_member_of_a_partner_organisation_reads_the_draft(client_for):
    partner = OrganisationFactory()
    application = GrantApplicationFactory(partners=[partner])

    response = client_for(applicant(partner)).get(f"{APPLICATIONS}{application.pk}/")

    assert response.status_code == 200


def test_an_officer_cannot_edit_a_submitted_application(client_for):
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    response = client_for(staff("officer")).patch(
        f"{APPLICATIONS}{application.pk}/", {"title": "Changed"}, format="json"
    )

    assert response.status_code == 403


def test_a_submitted_application_can_no_longer_be_changed(client_for):
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    response = client_for(applicant(application.lead_organisation)).patch(
        f"{APPLICATIONS}{application.pk}/", {"title": "Changed"}, format="json"
    )

    assert response.status_code == 409


def test_an_application_is_not_replaced_with_put(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant(application.lead_organisation)).put(
        f"{APPLICATIONS}{application.pk}/", {"title": "Changed"}, format="json"
    )

    assert response.status_code == 405
