"""Every grants list endpoint and the workflow endpoints cost a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.states import State
from tests.factories import staff
from tests.grants.factories import (
    CallFactory,
    GrantApplicationFactory,
    advance_to,
    ready_for_decision,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def test_the_call_list_for_an_officer_costs_the_same_for_2_or_20_calls(client_for):
    client = client_for(staff("officer"))
    CallFactory.create_batch(2)
    queries_for(client, "/api/v1/grants/calls/")  # the content types are cached once per process
    with_two = queries_for(client, "/api/v1/grants/calls/")

    CallFactory.create_batch(18)
    with_twenty = queries_for(client, "/api/v1/grants/calls/")

    assert with_twenty == with_two


def test_the_call_list_for_an_officer_stays_within_its_query_budget(
    client_for, django_assert_max_num_queries
):
    client = client_for(staff("officer"))
    CallFactory.create_batch(20)

    # token + user, roles and memberships, count, page of calls, their envelopes with budget figures
    with django_assert_max_num_queries(5):
        client.get("/api/v1/grants/calls/")


def test_the_application_list_for_an_officer_costs_the_same_for_2_or_20_files(client_for):
    officer = staff("officer")
    client = client_for(officer)
    call = CallFactory()
    for _ in range(2):
        advance_to(GrantApplicationFactory(call=call), State.SUBMITTED)
    with_two = queries_for(client, "/api/v1/grants/applications/")

    for _ in range(18):
        advance_to(GrantApplicationFactory(call=call), State.SUBMITTED)
    with_twenty = queries_for(client, "/api/v1/grants/applications/")

    assert with_twenty == with_two


def test_the_application_list_stays_within_its_query_budget(client_for, django_assert_max_num_queries):
    officer = staff("officer")
    client = client_for(officer)
    call = CallFactory()
    for _ in range(5):
        advance_to(GrantApplicationFactory(call=call), State.SUBMITTED)

    # token + user, roles and memberships, count, page
    with django_assert_max_num_queries(4):
        client.get("/api/v1/grants/applications/")


def test_the_transitions_of_a_file_stay_within_their_query_budget(client_for, django_assert_max_num_queries):
    application, cast = ready_for_decision()
    client = client_for(cast.approver)

    # token + user, roles and memberships, the file, its reviews (four eyes and the review condition),
    # the conflict-of-interest declarations (an approver who declared one does not decide)
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/grants/applications/{application.pk}/transitions/")
    assert [item["name"] for item in response.json()] == ["approve", "reject"]


def test_the_history_of_a_file_costs_the_same_after_2_or_8_steps(client_for):
    officer = staff("officer")
    client = client_for(officer)
    young = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    old = advance_to(GrantApplicationFactory(), State.IN_PROGRESS)
    short = queries_for(client, f"/api/v1/grants/applications/{young.pk}/history/")

    long = queries_for(client, f"/api/v1/grants/applications/{old.pk}/history/")

    assert long == short


def test_the_officer_web_list_costs_the_same_for_2_or_20_files(client):
    officer = staff("officer")
    client.force_login(officer)
    call = CallFactory()
    for _ in range(2):
        advance_to(GrantApplicationFactory(call=call), State.SUBMITTED)
    with_two = queries_for(client, "/grants/applications/")

    for _ in range(18):
        advance_to(GrantApplicationFactory(call=call), State.SUBMITTED)
    with_twenty = queries_for(client, "/grants/applications/")

    assert with_twenty == with_two


def test_the_work_queue_costs_the_same_for_2_or_20_files(client):
    officer = staff("officer")
    client.force_login(officer)
    call = CallFactory()
    for _ in range(2):
        advance_to(GrantApplicationFactory(call=call), State.SUBMITTED)
    with_two = queries_for(client, "/work-queue/")

    for _ in range(18):
        advance_to(GrantApplicationFactory(call=call), State.SUBMITTED)
    with_twenty = queries_for(client, "/work-queue/")

    assert with_twenty == with_two
