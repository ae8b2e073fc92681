"""The scheduled lapse of awards not accepted before their deadline."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import HistoryEntry, Notification
from grants.models import Envelope, GrantApplication
from grants.services import committed_on
from grants.tasks import lapse_overdue_awards
from grants.workflow import State
from tests.grants.factories import application_in

pytestmark = pytest.mark.django_db


def approved_due(days_from_today: int) -> GrantApplication:
    application, _cast = application_in(State.APPROVED)
    deadline = timezone.localdate() + timedelta(days=days_from_today)
    GrantApplication.objects.filter(pk=application.pk).update(acceptance_deadline=deadline)
    return GrantApplication.objects.get(pk=application.pk)


def reload(application) -> GrantApplication:
    return GrantApplication.objects.get(pk=application.pk)


def test_an_overdue_award_lapses_and_its_reservation_is_released():
    application = approved_due(-1)
    envelope = Envelope.objects.get(call=application.call, administration=application.administration)
    assert committed_on(envelope) == Decimal("35000.00")

    result = lapse_overdue_awards.enqueue()

    assert result.return_value == 1
    application = reload(application)
    assert application.state == State.LAPSED
    assert application.reserved_amount == Decimal("0.00")
    assert committed_on(envelope) == Decimal("0.00")


def test_an_award_still_within_its_deadline_stays_approved():
    due_today = approved_due(0)
    due_later = approved_due(30)

    assert lapse_overdue_awards.call() == 0

    assert reload(due_today).state == State.APPROVED
    assert reload(due_later).state == State.APPROVED
    assert reload(due_later).reserved_amount == Decimal("35000.00")


def test_the_history_of_a_scheduled_lapse_names_no_actor():
    application = approved_due(-1)

    lapse_overdue_awards.call()

    entry = HistoryEntry.objects.for_file(application).last()
    assert (entry.transition, entry.source_state, entry.target_state) == ("lapse", "approved", "lapsed")
    assert entry.actor is None


def test_accepted_grants_are_not_lapsed_whatever_their_deadline():
    application, _cast = application_in(State.IN_PROGRESS)
    GrantApplication.objects.filter(pk=application.pk).update(
        acceptance_deadline=timezone.localdate() - timedelta(days=10)
    )

    assert lapse_overdue_awards.call() == 0
    assert reload(application).state == State.IN_PROGRESS


def test_the_applicants_are_told_after_the_lapse_commits(django_capture_on_commit_callbacks):
    application = approved_due(-1)
    members = set(application.lead_organisation.members.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        lapse_overdue_awards.call()

    notified = Notification.objects.filter(link=application.get_absolute_url(), recipient__in=members)
    assert notified.filter(subject__contains=application.reference).exists()


def test_the_command_queues_the_job_and_reports_how_many_lapsed():
    approved_due(-3)
    approved_due(-1)
    approved_due(5)
    out = io.StringIO()

    call_command("lapse_overdue_awards", stdout=out)

    assert "2 overdue award(s) lapsed." in out.getvalue()
    assert GrantApplication.objects.filter(state=State.LAPSED).count() == 2


def test_the_command_can_run_the_job_in_its_own_process():
    approved_due(-1)
    out = io.StringIO()

    call_command("lapse_overdue_awards", "--now", stdout=out)

    assert "1 overdue award(s) lapsed." in out.getvalue()


def test_the_file_page_shows_a_scheduled_lapse_as_automatic(client):
    from tests.factories import staff

    application = approved_due(-1)
    lapse_overdue_awards.call()
    client.force_login(staff("officer", preferred_language="en"))

    page = client.get(application.get_absolute_url())

    assert page.status_code == 200
    assert "automatic" in page.content.decode()
