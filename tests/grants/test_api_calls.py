"""Calls for applications through the API, with the envelopes' budget for staff; the schema."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from core.models import PaymentOrder
from core.workflow import perform_transition
from grants.workflow import State
from tests.factories import applicant, staff
from tests.grants.factories import CallFactory, Cast, GrantApplicationFactory, advance_to

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/grants/calls/"


def test_any_signed_in_user_lists_the_calls(client_for):
    call = CallFactory()

    response = client_for(applicant()).get(CALLS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [call.pk]


def test_the_open_filter_lists_only_the_calls_open_today(client_for):
    open_call = CallFactory()
    CallFactory(closed=True)

    response = client_for(applicant()).get(CALLS, {"open": "true"})

    assert [row["id"] for row in response.json()["results"]] == [open_call.pk]


def test_applicants_do_not_see_the_budget_figures(client_for):
    call = CallFactory()

    response = client_for(applicant()).get(f"{CALLS}{call.pk}/")

    assert response.json()["envelopes"] is None


def test_staff_see_each_envelope_with_what_is_committed_paid_and_remaining(client_for):
    call = CallFactory(envelopes={"cocof": Decimal("100000")})
    cast = Cast(application := GrantApplicationFactory(call=call))
    application = advance_to(application, State.IN_PROGRESS, cast, awarded=Decimal("35000.00"))
    finance = staff("finance")
    advance = PaymentOrder.objects.get(file_reference=application.reference)  # 70 % of the award
    perform_transition(file=advance, name="approve", acting_user=finance)
    perform_transition(file=advance, name="mark_paid", acting_user=finance)

    response = client_for(staff("officer")).get(f"{CALLS}{call.pk}/")

    assert response.json()["envelopes"] == [
        {
            "administration": "cocof",
            "amount": "100000.00",
            "committed": "35000.00",
            "paid": "24500.00",
            "remaining": "65000.00",
        }
    ]


def test_officers_see_only_the_envelopes_of_their_administration(client_for):
    call = CallFactory()

    response = client_for(staff("officer", "iriscare")).get(f"{CALLS}{call.pk}/")

    assert [envelope["administration"] for envelope in response.json()["envelopes"]] == ["iriscare"]


def test_calls_are_not_listed_to_anonymous_visitors():
    response = APIClient().get(CALLS)

    assert response.status_code in (401, 403)


def test_the_openapi_schema_contains_the_grants_paths():
    response = APIClient().get("/api/v1/schema/", {"format": "json"})

    paths = response.json()["paths"]
    for path in (
        "/api/v1/grants/calls/",
        "/api/v1/grants/calls/{id}/",
        "/api/v1/grants/applications/",
        "/api/v1/grants/applications/{id}/",
        "/api/v1/grants/applications/{id}/transitions/",
        "/api/v1/grants/applications/{id}/transitions/{name}/",
        "/api/v1/grants/applications/{id}/history/",
        "/api/v1/grants/applications/{id}/documents/",
        "/api/v1/grants/applications/{id}/reviews/",
        "/api/v1/grants/applications/{id}/reports/",
        "/api/v1/grants/applications/{id}/receipt/",
        "/api/v1/grants/applications/{id}/award-letter/",
    ):
        assert path in paths
