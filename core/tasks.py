"""Background work, through Django's tasks API (django-tasks on Django 5.2).

E-mails of notifications: each is tried, and on failure retried (later, with the database backend;
at once, with the immediate backend of development) up to `NOTIFICATION_EMAIL_ATTEMPTS` times; every
failure is logged and kept on the notification. `resend_unsent_emails` (a task and a command for
cron) picks up what a long outage left unsent. Nothing here ever raises into a request.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)

# Seconds before the 2nd, 3rd... attempt when the backend can run a task later.
RETRY_DELAYS = (60, 300, 1800, 7200)


def max_attempts() -> int:
    return settings.NOTIFICATION_EMAIL_ATTEMPTS


def _message(notification: Notification) -> tuple[str, str]:
    recipient = notification.recipient
    with translation.override(recipient.preferred_language):
        body = notification.body
        if notification.link:
            body += "\n\n" + _("Open it here: %(url)s") % {
                "url": settings.SITE_URL.rstrip("/") + notification.link
            }
        body += "\n\n" + _(
            "You receive this message because of your role in the mutualisation support schemes."
        )
    return notification.subject, body


def deliver_notification_email(notification_id: int) -> bool:
    """One attempt; True once the e-mail has gone (now or before)."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return True
    subject, body = _message(notification)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    except Exception as error:  # the mail server's failure must never reach the caller
        Notification.objects.filter(pk=notification_id).update(
            email_attempts=F("email_attempts") + 1, email_error=f"{type(error).__name__}: {error}"[:300]
        )
        logger.warning("E-mail of notification %s failed: %s", notification_id, error)
        return False
    Notification.objects.filter(pk=notification_id).update(
        emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1, email_error=""
    )
    return True


@task()
def send_notification_email(notification_id: int) -> None:
    if deliver_notification_email(notification_id):
        return
    attempts = (
        Notification.objects.filter(pk=notification_id).values_list("email_attempts", flat=True).first()
    )
    if attempts is None or attempts >= max_attempts():
        logger.error("E-mail of notification %s abandoned after %s attempts.", notification_id, attempts)
        return
    backend = send_notification_email.get_backend()
    if backend.supports_defer:
        delay = RETRY_DELAYS[min(attempts - 1, len(RETRY_DELAYS) - 1)]
        send_notification_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            notification_id
        )
    else:  # the immediate backend cannot wait: try again now
        send_notification_email.enqueue(notification_id)


def enqueue_notification_email(notification_id: int) -> None:
    try:
        send_notification_email.enqueue(notification_id)
    except Exception:
        logger.exception("The e-mail of notification %s could not be queued.", notification_id)


@task()
def resend_unsent_emails() -> int:
    """Queue again the e-mails a long outage left unsent (fewer attempts than the maximum)."""
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True, email_attempts__lt=max_attempts())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for notification_id in pending:
        enqueue_notification_email(notification_id)
    return len(pending)


@task()
def send_deadline_reminders() -> dict:
    """Daily: deadline reminders for every file type and overdue receivables (core.reminders)."""
    from .reminders import send_reminders

    return send_reminders()
