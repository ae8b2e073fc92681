"""One entry point for notifications: an inbox row per recipient, in their language, written in the
caller's transaction (so it commits or rolls back with the decision that caused it), and an e-mail
sent by a background task once that transaction has committed. Sending can fail (the mail server
is down): the task retries and logs, and the caller never sees the failure."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation

from accounts.models import User

from .models import Notification


def notify(
    *, recipients: Iterable[User], subject, body, link: str = "", context: dict | None = None
) -> list[Notification]:
    """`subject` and `body` are lazy translations with `%(name)s` placeholders filled from `context`."""
    from .tasks import enqueue_notification_email

    context = context or {}
    sent = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        with translation.override(recipient.preferred_language):
            localised = {key: str(value) for key, value in context.items()}
            notification = Notification.objects.create(
                recipient=recipient,
                subject=(str(subject) % localised)[:200],
                body=str(body) % localised,
                link=link,
            )
        sent.append(notification)
        # robust: a queue that cannot be reached is logged, never raised into the committed request.
        transaction.on_commit(lambda pk=notification.pk: enqueue_notification_email(pk), robust=True)
    return sent


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def staff_of(administration_id: int | None, *roles: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, staff_roles__administration_id=administration_id, staff_roles__role__in=roles
    ).distinct()


def members_of(organisation_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__organisation_id__in=list(organisation_ids)
    ).distinct()
