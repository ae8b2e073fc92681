"""Deadline reminders: to whoever holds the ball, before and after the deadline, once each, in
their language; overdue receivables to finance."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core import instruction
from core.models import Notification, PaymentOrder, Reminder
from core.reminders import send_reminders
from grants.models import GrantApplication
from grants.states import State
from tests.factories import PaymentOrderFactory, applicant, staff
from tests.grants.factories import application_in

pytestmark = pytest.mark.django_db


def due_in(application, days: int):
    GrantApplication.objects.filter(pk=application.pk).update(
        deadline=timezone.localdate() + timedelta(days=days)
    )
    application.refresh_from_db()
    return application


def subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_officers_are_reminded_of_a_file_due_soon_that_waits_on_them():
    application, cast = application_in(State.SCREENING)
    due_in(application, 2)
    Notification.objects.all().delete()

    send_reminders()

    assert any(application.reference in subject for subject in subjects(cast.officer))
    assert subjects(cast.applicant) == []


def test_the_assigned_officer_alone_is_reminded():
    application, cast = application_in(State.SCREENING)
    instruction.assign(file=application, acting_user=cast.officer, officer=cast.reviewer)
    due_in(application, 1)
    Notification.objects.all().delete()

    send_reminders()

    assert len(subjects(cast.reviewer)) == 1
    assert subjects(cast.officer) == []


def test_the_applicant_is_reminded_when_the_file_waits_on_it_in_its_language():
    application, cast = application_in(State.INFORMATION_REQUESTED)
    dutch = applicant(application.lead_organisation, preferred_language="nl")
    due_in(application, -1)
    Notification.objects.all().delete()

    send_reminders()

    (subject,) = subjects(dutch)
    assert subject.startswith("Achterstallig") and application.reference in subject
    assert subjects(cast.officer) == []


def test_each_reminder_is_sent_once_however_often_the_task_runs():
    application, cast = application_in(State.SCREENING)
    due_in(application, 2)
    Notification.objects.all().delete()

    first, second = send_reminders(), send_reminders()

    assert (first["soon"], second["soon"]) == (1, 0)
    assert len(subjects(cast.officer)) == 1


def test_after_the_deadline_passes_the_overdue_reminder_follows_the_early_one():
    application, cast = application_in(State.SCREENING)
    due_in(application, 2)
    send_reminders()

    later = send_reminders(today=timezone.localdate() + timedelta(days=3))

    assert later["overdue"] == 1
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"soon", "overdue"}


def test_a_file_far_from_its_deadline_gets_no_reminder():
    application, cast = application_in(State.SCREENING)
    due_in(application, 20)

    assert send_reminders() == {"soon": 0, "overdue": 0, "receivables": 0}


def test_finance_is_reminded_of_a_receivable_not_received_by_its_due_date():
    finance = staff("finance")
    order = PaymentOrderFactory(
        kind=PaymentOrder.Kind.GRANT_RECOVERY,
        amount=Decimal("1200.00"),
        due_date=timezone.localdate() - timedelta(days=5),
    )

    assert send_reminders()["receivables"] == 1
    (subject,) = subjects(finance)
    assert order.reference in subject


def test_an_outgoing_payment_is_not_a_receivable():
    staff("finance")
    PaymentOrderFactory(
        kind=PaymentOrder.Kind.GRANT_ADVANCE, due_date=timezone.localdate() - timedelta(days=5)
    )

    assert send_reminders()["receivables"] == 0


def test_the_work_queue_flags_overdue_files(client):
    application, cast = application_in(State.SCREENING)
    due_in(application, -2)
    cast.officer.preferred_language = "en"
    cast.officer.save()
    client.force_login(cast.officer)

    page = client.get("/work-queue/").content.decode()

    assert 'class="overdue" data-overdue' in page and "Overdue" in page
