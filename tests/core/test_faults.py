"""Faults: the database not answering gives a translated 503 page (JSON under /api/) and the next
request is served again without a restart; liveness and readiness say what fails."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import staff

pytestmark = pytest.mark.django_db

CONNECTION_LOST = OperationalError("server closed the connection unexpectedly")


def database_down():
    """Every query fails as when PostgreSQL restarts under the application."""
    return mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=CONNECTION_LOST)


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_page_answers_a_translated_503_while_the_database_is_down_then_serves_again():
    officer = staff("officer")  # reads French by default
    client = signed_in(officer)

    with database_down():
        down = client.get("/work-queue/")
    up = client.get("/work-queue/")

    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    assert "Le service est momentanément indisponible".encode() in down.content
    assert up.status_code == 200


def test_the_api_answers_json_503_while_the_database_is_down():
    client = Client(raise_request_exception=False)
    client.force_login(staff("officer"))

    with database_down():
        response = client.get("/api/v1/grants/applications/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


def test_any_other_crash_is_still_the_500_page():
    client = Client(raise_request_exception=False)
    client.force_login(staff("officer"))

    with mock.patch("core.views.work_queue_count", side_effect=ZeroDivisionError):
        response = client.get("/work-queue/")

    assert response.status_code == 500


def test_readiness_reports_every_dependency_ok():
    response = Client().get("/health/ready/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "taskqueue": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_readiness_answers_503_naming_the_database_when_it_does_not_answer():
    with database_down():
        response = Client(raise_request_exception=False).get("/health/ready/")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] != "ok"
    assert response.json()["checks"]["storage"] == "ok"


def test_liveness_answers_without_the_database():
    with database_down():
        response = Client(raise_request_exception=False).get("/health/live/")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_readiness_reports_a_task_queue_nobody_works_on():
    from django_tasks_db.models import DBTaskResult

    from core.tasks import resend_unsent_emails

    resend_unsent_emails.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))

    response = Client().get("/health/ready/")

    assert response.status_code == 503
    assert "db_worker" in response.json()["checks"]["taskqueue"]


# -- a letter that cannot be rendered -----------------------------------------------------------------

RENDERING_FAILS = mock.patch("core.pdf.BaseDocTemplate.build", side_effect=RuntimeError("font file missing"))


def awarded_grant():
    from grants.workflow import State
    from tests.grants.factories import Cast, GrantApplicationFactory, advance_to

    cast = Cast(application := GrantApplicationFactory())
    return advance_to(application, State.APPROVED, cast), cast


def test_a_letter_that_cannot_be_rendered_answers_a_translated_503_page_saying_the_decision_is_recorded():
    application, cast = awarded_grant()
    client = signed_in(cast.applicant)

    with RENDERING_FAILS:
        response = client.get(application.get_absolute_url() + "award-letter.pdf", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "La décision elle-même est enregistrée".encode() in response.content


def test_a_letter_that_cannot_be_rendered_answers_json_503_in_the_api():
    from rest_framework.test import APIClient

    application, cast = awarded_grant()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_authenticate(cast.applicant)

    with RENDERING_FAILS:
        response = client.get(f"/api/v1/grants/applications/{application.pk}/award-letter/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "service_unavailable"
    assert "De beslissing zelf is geregistreerd" in response.json()["detail"]


def test_a_letter_rendering_fault_leaves_the_committed_decision_as_it_was():
    from core.models import HistoryEntry

    application, cast = awarded_grant()

    with RENDERING_FAILS:
        signed_in(cast.applicant).get(application.get_absolute_url() + "award-letter.pdf")

    application.refresh_from_db()
    assert application.state == "approved"
    assert application.awarded_amount is not None
    assert HistoryEntry.objects.for_file(application).filter(transition="approve").count() == 1


def test_a_letter_rendering_fault_is_logged_with_its_cause(caplog):
    application, cast = awarded_grant()

    with RENDERING_FAILS, caplog.at_level("ERROR", logger="core.pdf"):
        signed_in(cast.applicant).get(application.get_absolute_url() + "award-letter.pdf")

    (record,) = [record for record in caplog.records if record.name == "core.pdf"]
    assert "-award.pdf" in record.getMessage()
    assert "font file missing" in str(record.exc_info[1])


def test_the_letter_downloads_again_once_rendering_works():
    application, cast = awarded_grant()
    client = signed_in(cast.applicant)

    with RENDERING_FAILS:
        client.get(application.get_absolute_url() + "award-letter.pdf")
    response = client.get(application.get_absolute_url() + "award-letter.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
