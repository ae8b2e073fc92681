"""Background work, through Django's tasks API (django-tasks on Django 5.2)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification


@task()
def send_notification_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.emailed_at is not None:
        return
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
    send_mail(notification.subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
