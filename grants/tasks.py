"""Scheduled work on grants, through Django's tasks API (django-tasks on Django 5.2)."""

import logging

from django.utils import timezone
from django_tasks import task

from core.exceptions import ServiceError
from core.workflow import perform_transition

from .models import GrantApplication
from .workflow import State

logger = logging.getLogger(__name__)


@task()
def lapse_overdue_awards() -> int:
    """Lapse every award not accepted by its deadline; returns how many lapsed.

    Each file goes through the `lapse` transition on its own (one transaction each, no acting user:
    the history shows the scheduler), so one refusal, e.g. an award accepted a moment ago, does not
    hold back the others."""
    overdue = list(
        GrantApplication.objects.filter(
            state=State.APPROVED, acceptance_deadline__lt=timezone.localdate()
        ).order_by("pk")
    )
    lapsed = 0
    for application in overdue:
        try:
            perform_transition(file=application, name="lapse", acting_user=None)
        except ServiceError as refusal:
            logger.warning("Award %s was not lapsed: %s", application.reference, refusal.message)
        else:
            lapsed += 1
    return lapsed
