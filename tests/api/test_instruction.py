"""Instruction endpoints on the grant files' API: assignment, review requests, declarations."""

import pytest

from grants.states import State
from tests.factories import applicant, staff
from tests.grants.factories import application_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_and_cast():
    return application_in(State.UNDER_REVIEW)


def url(application, tail) -> str:
    return f"/api/v1/grants/applications/{application.pk}/{tail}"


def test_an_officer_assigns_the_file_and_reads_the_assignment_back(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.officer)

    response = client.post(url(application, "assignment/"), {"officer": cast.reviewer.pk}, format="json")

    assert response.status_code == 200
    assert client.get(url(application, "assignment/")).json()["officer"] == cast.reviewer.email


def test_unassigning_answers_null(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.officer)
    client.post(url(application, "assignment/"), {"officer": cast.officer.pk}, format="json")

    response = client.post(url(application, "assignment/"), {"officer": None}, format="json")

    assert (response.status_code, response.json()) == (
        200,
        {"officer": None, "assigned_by": None, "assigned_at": None},
    )


def test_an_unknown_officer_is_a_field_error(client_for, file_and_cast):
    application, cast = file_and_cast

    response = client_for(cast.officer).post(
        url(application, "assignment/"), {"officer": 999999}, format="json"
    )

    assert (response.status_code, list(response.json()["errors"])) == (400, ["officer"])


def test_an_approver_asks_for_reviews_and_an_officer_may_not(client_for, file_and_cast):
    application, cast = file_and_cast
    body = {"officers": [cast.reviewer.pk]}

    assert (
        client_for(cast.officer).post(url(application, "review-requests/"), body, format="json").status_code
        == 403
    )
    response = client_for(cast.approver).post(url(application, "review-requests/"), body, format="json")

    assert response.status_code == 201
    assert [one["officer"] for one in response.json()] == [cast.reviewer.email]


def test_a_declaration_is_made_once_and_read_back(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.reviewer)
    assert client.get(url(application, "conflict-declaration/")).json()["declared"] is False

    first = client.post(url(application, "conflict-declaration/"), {"has_conflict": False}, format="json")
    again = client.post(url(application, "conflict-declaration/"), {"has_conflict": False}, format="json")

    assert (first.status_code, again.status_code, again.json()["code"]) == (201, 409, "already_declared")
    assert client.get(url(application, "conflict-declaration/")).json()["has_conflict"] is False


def test_a_conflict_without_explanation_is_a_400_on_the_explanation(client_for, file_and_cast):
    application, cast = file_and_cast

    response = client_for(cast.reviewer).post(
        url(application, "conflict-declaration/"), {"has_conflict": True}, format="json"
    )

    assert (response.status_code, list(response.json()["errors"])) == (400, ["explanation"])


@pytest.mark.parametrize("tail", ["assignment/", "review-requests/", "conflict-declaration/"])
def test_an_applicant_gets_403_and_an_officer_elsewhere_404(client_for, file_and_cast, tail):
    application, cast = file_and_cast

    assert client_for(applicant(application.lead_organisation)).get(url(application, tail)).status_code == 403
    assert client_for(staff("officer", "iriscare")).get(url(application, tail)).status_code == 404
