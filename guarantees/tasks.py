"""Scheduled work on guarantees, through Django's tasks API (django-tasks on Django 5.2)."""

import logging

from django.utils import timezone
from django_tasks import task

from core.exceptions import ServiceError
from core.workflow import perform_transition

from .fees import bill_due_fees
from .models import GuaranteeRequest
from .states import State

logger = logging.getLogger(__name__)


@task()
def lapse_expired_offers() -> int:
    """Lapse every offer not taken up by its expiry (one transaction each, by the scheduler)."""
    expired = list(
        GuaranteeRequest.objects.filter(
            state=State.OFFERED, offer_expires_on__lt=timezone.localdate()
        ).order_by("pk")
    )
    lapsed = 0
    for request in expired:
        try:
            perform_transition(file=request, name="lapse", acting_user=None)
        except ServiceError as refusal:
            logger.warning("Offer %s was not lapsed: %s", request.reference, refusal.message)
        else:
            lapsed += 1
    return lapsed


@task()
def bill_guarantee_fees() -> int:
    return bill_due_fees()
