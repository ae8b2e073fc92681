"""Deadline reminders (SPEC §9), sent by a scheduled task, once each, in the recipient's language:

- a file whose stored deadline is within `REMINDER_DAYS_BEFORE` days: "due soon", and once it has
  passed: "overdue" — to whoever holds the ball: the members of the acting parties in the file
  type's `PARTIES_ACT_IN` states, else the officer it is assigned to (or, unassigned, the
  administration's officers and approvers);
- a receivable payment order (a recovery, a fee) not received by its due date: "overdue", to the
  administration's finance staff.

A `Reminder` row per file, kind and deadline makes each reminder go once, also when the task runs
twice at once (the row is inserted first, under its unique constraint)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole

from .models import Assignment, PaymentOrder, Reminder
from .money import format_money
from .notifications import members_of, notify, staff_of
from .schemes import schemes
from .scope import party_organisation_ids


class _InRecipientLanguage:
    """A value that becomes text only when the notification is written, in each recipient's
    language (`notify` turns the context into text under their language)."""

    def __init__(self, render):
        self.render = render

    def __str__(self) -> str:
        return str(self.render())


def _date(value) -> _InRecipientLanguage:
    return _InRecipientLanguage(lambda: formats.date_format(value, "DATE_FORMAT"))


def days_before() -> int:
    return int(getattr(settings, "REMINDER_DAYS_BEFORE", 3))


def _claim(file, kind: str, deadline) -> bool:
    """Record that this reminder is sent; False if it already was (by this run or another)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                content_type=ContentType.objects.get_for_model(type(file)),
                object_id=file.pk,
                kind=kind,
                deadline=deadline,
            )
    except IntegrityError:
        return False
    return True


def _not_reminded(queryset, kind: str, deadline: str = "deadline"):
    """Rows of `queryset` without a reminder of this kind for their current `deadline` field."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    sent = Reminder.objects.filter(
        content_type=content_type, object_id=OuterRef("pk"), kind=kind, deadline=OuterRef(deadline)
    )
    return queryset.exclude(Exists(sent))


def _ball_holders(file):
    if str(file.state) in {str(state) for state in getattr(type(file), "PARTIES_ACT_IN", ())}:
        return list(members_of(party_organisation_ids(file, acting=True)))
    assignment = (
        Assignment.objects.filter(
            content_type=ContentType.objects.get_for_model(type(file)), object_id=file.pk
        )
        .select_related("officer")
        .first()
    )
    if assignment is not None:
        return [assignment.officer]
    return list(staff_of(file.administration_id, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER))


def _remind_file(file, kind: str) -> bool:
    if not _claim(file, kind, file.deadline):
        return False
    if kind == Reminder.Kind.SOON:
        subject = _("Reminder: %(reference)s is due on %(date)s")
        body = _("File %(reference)s (%(state)s) is due on %(date)s. Open it to take the next step in time.")
    else:
        subject = _("Overdue: %(reference)s was due on %(date)s")
        body = _(
            "File %(reference)s (%(state)s) was due on %(date)s and is now overdue. Open it to take the next step."
        )
    notify(
        recipients=_ball_holders(file),
        subject=subject,
        body=body,
        context={
            "reference": file.reference or str(file),
            "state": _InRecipientLanguage(file.get_state_display),
            "date": _date(file.deadline),
        },
        link=file.get_absolute_url(),
    )
    return True


def _remind_receivable(order) -> bool:
    if not _claim(order, Reminder.Kind.OVERDUE, order.due_date):
        return False
    notify(
        recipients=staff_of(order.administration_id, StaffRole.Role.FINANCE),
        subject=_("Not received: %(reference)s was due on %(date)s"),
        body=_(
            "%(kind)s %(reference)s of %(amount)s owed by %(counterparty)s was due on %(date)s and has not been "
            "received. Check the account, then mark it paid or send a reminder to the debtor."
        ),
        context={
            "kind": _InRecipientLanguage(order.get_kind_display),
            "reference": order.reference,
            "amount": _InRecipientLanguage(lambda: format_money(order.amount)),
            "counterparty": order.counterparty_name,
            "date": _date(order.due_date),
        },
        link=f"/payments/orders/{order.pk}/",
    )
    return True


def send_reminders(today=None) -> dict[str, int]:
    """One pass over every registered file type and the receivables; returns how many were sent."""
    today = today or timezone.localdate()
    sent = {"soon": 0, "overdue": 0, "receivables": 0}
    for scheme in schemes():
        for model in scheme.models():
            files = model._default_manager.filter(deadline__isnull=False)
            soon = _not_reminded(
                files.filter(deadline__gte=today, deadline__lte=today + timedelta(days=days_before())), "soon"
            )
            for file in soon.iterator(chunk_size=500):
                sent["soon"] += _remind_file(file, Reminder.Kind.SOON)
            overdue = _not_reminded(files.filter(deadline__lt=today), "overdue")
            for file in overdue.iterator(chunk_size=500):
                sent["overdue"] += _remind_file(file, Reminder.Kind.OVERDUE)
    receivables = PaymentOrder.objects.filter(
        kind__in=PaymentOrder.RECEIVABLE_KINDS,
        state__in=[PaymentOrder.State.PENDING, PaymentOrder.State.APPROVED],
        due_date__lt=today,
    )
    for order in _not_reminded(receivables, Reminder.Kind.OVERDUE, deadline="due_date").iterator(
        chunk_size=500
    ):
        sent["receivables"] += _remind_receivable(order)
    return sent
