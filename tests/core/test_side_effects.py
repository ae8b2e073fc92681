"""Side effects never break a committed decision: inbox rows are written in the transition's
transaction; e-mails leave after commit, are retried, and a failing mailer never reaches the caller."""

import logging

import pytest
from django.core import mail
from rest_framework.test import APIClient

from core.exceptions import NotPermitted
from core.models import Notification
from core.tasks import max_attempts, resend_unsent_emails
from core.workflow import perform_transition
from tests.factories import SampleFileFactory, applicant, staff

pytestmark = pytest.mark.django_db


class FlakyMailer:
    """`send_mail` that fails the first `failures` times, then delivers to Django's test outbox."""

    def __init__(self, failures: int):
        self.failures = failures
        self.calls = 0

    def __call__(self, subject, body, sender, recipients, **kwargs):
        from django.core.mail import EmailMessage

        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("mail server unreachable")
        return EmailMessage(subject, body, sender, recipients).send()


@pytest.fixture
def flaky_mailer(monkeypatch):
    def install(failures: int) -> FlakyMailer:
        mailer = FlakyMailer(failures)
        monkeypatch.setattr("core.tasks.send_mail", mailer)
        return mailer

    return install


def submitted_through_the_api(file):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(applicant(file.organisation))
    return client.post(f"/api/v1/test/samples/{file.pk}/transitions/submit/", {}, format="json")


def test_a_failing_mailer_leaves_the_submission_committed_and_answers_200(
    flaky_mailer, django_capture_on_commit_callbacks
):
    flaky_mailer(failures=100)
    file = SampleFileFactory()
    staff("officer")

    with django_capture_on_commit_callbacks(execute=True):
        response = submitted_through_the_api(file)

    assert response.status_code == 200
    file.refresh_from_db()
    assert file.state == "submitted"


def test_the_inbox_rows_are_written_even_when_the_mailer_fails(
    flaky_mailer, django_capture_on_commit_callbacks
):
    flaky_mailer(failures=100)
    file = SampleFileFactory()
    officers = {staff("officer"), staff("officer")}

    with django_capture_on_commit_callbacks(execute=True):
        submitted_through_the_api(file)

    assert {n.recipient for n in Notification.objects.all()} == officers


def test_a_failed_email_is_retried_and_delivered(flaky_mailer, django_capture_on_commit_callbacks):
    mailer = flaky_mailer(failures=1)
    file = SampleFileFactory()
    officer = staff("officer")

    with django_capture_on_commit_callbacks(execute=True):
        submitted_through_the_api(file)

    notification = Notification.objects.get(recipient=officer)
    assert mailer.calls == 2
    assert notification.email_attempts == 2
    assert notification.emailed_at is not None
    assert [message.to for message in mail.outbox] == [[officer.email]]


def test_an_email_that_keeps_failing_is_abandoned_after_the_maximum_and_logged(
    flaky_mailer, django_capture_on_commit_callbacks, caplog
):
    flaky_mailer(failures=100)
    file = SampleFileFactory()
    officer = staff("officer")

    with (
        caplog.at_level(logging.WARNING, logger="core.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submitted_through_the_api(file)

    notification = Notification.objects.get(recipient=officer)
    assert notification.emailed_at is None
    assert notification.email_attempts == max_attempts()
    assert "ConnectionRefusedError" in notification.email_error
    assert any("abandoned" in record.message for record in caplog.records)


def test_later_recipients_still_get_their_email_when_one_fails(
    flaky_mailer, django_capture_on_commit_callbacks
):
    flaky_mailer(failures=1)
    file = SampleFileFactory()
    first, second = staff("officer"), staff("officer")

    with django_capture_on_commit_callbacks(execute=True):
        submitted_through_the_api(file)

    assert {message.to[0] for message in mail.outbox} == {first.email, second.email}


def test_unsent_emails_are_sent_again_by_the_resend_task(flaky_mailer, django_capture_on_commit_callbacks):
    mailer = flaky_mailer(failures=max_attempts() - 1)
    file = SampleFileFactory()
    officer = staff("officer")
    with django_capture_on_commit_callbacks(execute=True):
        perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))
    Notification.objects.filter(recipient=officer).update(email_attempts=1, emailed_at=None)
    mailer.calls = mailer.failures  # the mail server is back

    resend_unsent_emails.call()

    assert Notification.objects.get(recipient=officer).emailed_at is not None


def test_a_refused_transition_writes_no_inbox_row(django_capture_on_commit_callbacks):
    file = SampleFileFactory()
    staff("officer")
    outsider = staff("officer", "iriscare")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotPermitted):
        perform_transition(file=file, name="start_screening", acting_user=outsider)

    assert not Notification.objects.exists()


def test_the_resend_command_reports_how_many_emails_it_queued_again(flaky_mailer):
    import io

    from django.core.management import call_command

    flaky_mailer(failures=0)
    file = SampleFileFactory()
    Notification.objects.create(recipient=applicant(file.organisation), subject="s", body="b")
    output = io.StringIO()

    call_command("resend_unsent_emails", stdout=output)

    assert "1 e-mail(s) queued again." in output.getvalue()
    assert Notification.objects.get().emailed_at is not None
