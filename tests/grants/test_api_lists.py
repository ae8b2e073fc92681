"""The application list: scoped to the caller, filterable, sortable, at a constant query cost."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.models import GrantApplication
from grants.workflow import State
from tests.factories import RecognitionFactory, StaffRoleFactory, administration, applicant, staff
from tests.grants.factories import GrantApplicationFactory, advance_to

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/grants/applications/"


def submitted(count: int, code: str = "cocof", **fields) -> list[GrantApplication]:
    """Applications in `submitted`, made directly (the list does not care how they got there)."""
    return GrantApplicationFactory.create_batch(
        count, state=State.SUBMITTED, administration=administration(code), **fields
    )


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_an_applicant_lists_only_its_organisations_applications(client_for):
    lead = RecognitionFactory().organisation
    own = GrantApplicationFactory(lead_organisation=lead)
    GrantApplicationFactory()

    response = client_for(applicant(lead)).get(APPLICATIONS)

    assert ids(response) == {own.pk}


def test_an_officer_lists_the_submitted_files_of_its_administration_only(client_for):
    cocof = submitted(1, "cocof")
    submitted(1, "iriscare")
    GrantApplicationFactory()  # a draft

    response = client_for(staff("officer", "cocof")).get(APPLICATIONS)

    assert ids(response) == {cocof[0].pk}


def test_each_row_carries_id_reference_and_state(client_for):
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    row = client_for(staff("officer")).get(APPLICATIONS).json()["results"][0]

    assert (row["id"], row["reference"], row["state"]) == (application.pk, application.reference, "submitted")


def test_the_list_filters_by_state(client_for):
    lead = RecognitionFactory().organisation
    GrantApplicationFactory(lead_organisation=lead)
    withdrawn = GrantApplicationFactory(lead_organisation=lead, state=State.WITHDRAWN)

    response = client_for(applicant(lead)).get(APPLICATIONS, {"state": "withdrawn"})

    assert ids(response) == {withdrawn.pk}


def test_the_list_filters_by_administration_code(client_for):
    officer = staff("officer", "cocof")
    StaffRoleFactory(user=officer, administration=administration("iriscare"))
    submitted(1, "cocof")
    iriscare = submitted(1, "iriscare")

    response = client_for(officer).get(APPLICATIONS, {"administration": "iriscare"})

    assert ids(response) == {iriscare[0].pk}


def test_the_list_filters_by_call_and_lead_organisation(client_for):
    first, second = submitted(2)

    by_call = client_for(staff("officer")).get(APPLICATIONS, {"call": first.call_id})
    by_lead = client_for(staff("officer")).get(
        APPLICATIONS, {"lead_organisation": second.lead_organisation_id}
    )

    assert (ids(by_call), ids(by_lead)) == ({first.pk}, {second.pk})


def test_the_list_filters_by_acceptance_deadline(client_for):
    soon, later = submitted(2)
    today = timezone.localdate()
    GrantApplication.objects.filter(pk=soon.pk).update(acceptance_deadline=today + timedelta(days=5))
    GrantApplication.objects.filter(pk=later.pk).update(acceptance_deadline=today + timedelta(days=50))

    response = client_for(staff("officer")).get(
        APPLICATIONS, {"deadline_before": (today + timedelta(days=10)).isoformat()}
    )

    assert ids(response) == {soon.pk}


def test_the_list_filters_by_creation_date(client_for):
    old, new = submitted(2)
    GrantApplication.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    response = client_for(staff("officer")).get(
        APPLICATIONS, {"created_after": (timezone.localdate() - timedelta(days=7)).isoformat()}
    )

    assert ids(response) == {new.pk}


def test_the_list_sorts_by_requested_amount(client_for):
    amounts = [Decimal("30000.00"), Decimal("10000.00"), Decimal("20000.00")]
    for amount in amounts:
        submitted(1, requested_amount=amount)

    response = client_for(staff("officer")).get(APPLICATIONS, {"ordering": "-requested_amount"})

    assert [row["requested_amount"] for row in response.json()["results"]] == [
        "30000.00",
        "20000.00",
        "10000.00",
    ]


def test_the_staff_list_costs_the_same_for_3_or_30_applications(client_for):
    client = client_for(staff("officer"))
    submitted(3)
    with_three = queries_for(client, APPLICATIONS)

    submitted(27)
    with_thirty = queries_for(client, APPLICATIONS)

    assert with_thirty == with_three


def test_the_applicant_list_costs_the_same_for_3_or_30_applications(client_for):
    lead = RecognitionFactory().organisation
    client = client_for(applicant(lead))
    GrantApplicationFactory.create_batch(3, lead_organisation=lead)
    with_three = queries_for(client, APPLICATIONS)

    GrantApplicationFactory.create_batch(27, lead_organisation=lead)
    with_thirty = queries_for(client, APPLICATIONS)

    assert with_thirty == with_three


@pytest.mark.parametrize(
    "query", ["lead_organisation=-1145509071963951726592", "call=2.9e-33", "call=99999999999999999999999"]
)
def test_an_out_of_range_id_filter_is_refused_with_400(client_for, query):
    response = client_for(staff("officer")).get(f"/api/v1/grants/applications/?{query}")

    assert response.status_code == 400


def test_list_filters_do_not_apply_to_a_files_workflow_endpoints(client_for):
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)

    response = client_for(user).get(
        f"/api/v1/grants/applications/{application.pk}/transitions/?lead_organisation=-1145509071963951726592"
    )

    assert response.status_code == 200
