"""Public pages, the home page per role and the officer work queue."""

import pytest

from tests.factories import APPLICANT_ROLES, STAFF_ROLES, PaymentOrderFactory, administration, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/auth/login/", "/auth/signup/", "/auth/password/reset/"])
def test_public_pages_answer_200_to_anonymous_visitors(url, client_for):
    response = client_for(None).get(url)

    assert response.status_code == 200


def test_the_home_page_invites_anonymous_visitors_to_sign_in(client_for):
    response = client_for(None).get("/")

    assert b'href="/auth/login/"' in response.content
    assert b'href="/auth/signup/"' in response.content


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_see_their_tasks_and_the_way_to_the_work_queue_on_the_home_page(role, person, client_for):
    response = client_for(person(role)).get("/")

    assert response.status_code == 200
    assert response.templates[0].name == "core/home_staff.html"
    assert b'href="/work-queue/"' in response.content


@pytest.mark.parametrize("role", APPLICANT_ROLES)
def test_applicants_see_their_dashboard_on_the_home_page(role, person, client_for):
    user = person(role)

    response = client_for(user).get("/")

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/dashboard.html"


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_work_queue_answers_200_to_staff(role, person, client_for):
    response = client_for(person(role)).get("/work-queue/")

    assert response.status_code == 200


@pytest.mark.parametrize("role", [*APPLICANT_ROLES, "superuser"])
def test_the_work_queue_answers_404_to_anyone_without_a_staff_role(role, person, client_for):
    response = client_for(person(role)).get("/work-queue/")

    assert response.status_code == 404


def test_the_work_queue_sends_anonymous_visitors_to_the_login_page(client_for):
    response = client_for(None).get("/work-queue/")

    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/?next=/work-queue/")


@pytest.mark.parametrize(
    "query",
    [
        "scheme=nonsense",
        "deadline_before=yesterday",
        "ordering=drop+table",
        "page=999",
        "page=abc",
        "state=" + "x" * 80,
    ],
)
def test_the_work_queue_survives_bad_filters(query, person, client_for):
    response = client_for(person("finance")).get(f"/work-queue/?{query}")

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_the_inbox_answers_200_to_signed_in_users(role, person, client_for):
    response = client_for(person(role)).get("/inbox/")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/inbox/", "/organisations/", "/organisations/new/", "/profile/", "/eligibility/"]
)
def test_private_pages_send_anonymous_visitors_to_the_login_page(url, client_for):
    response = client_for(None).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")


def test_the_work_queue_lists_the_pending_orders_of_the_finance_officers_administration(client_for):
    cocof_order = PaymentOrderFactory(file_reference="MUT-2026-00042")
    iriscare_order = PaymentOrderFactory(
        file_reference="GAR-2026-00007", administration=administration("iriscare")
    )

    response = client_for(staff("finance", "cocof", preferred_language="en")).get("/work-queue/")

    assert cocof_order.file_reference in response.content.decode()
    assert iriscare_order.file_reference not in response.content.decode()
