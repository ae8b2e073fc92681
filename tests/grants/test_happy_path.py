"""A grant from draft to closed, through the shared transition service."""

from decimal import Decimal

import pytest

from core.audit import EVENT_LABELS
from core.models import HistoryEntry, PaymentOrder
from grants.workflow import State
from tests.grants.factories import GrantApplicationFactory, advance_to

pytestmark = pytest.mark.django_db


def test_an_application_goes_from_draft_to_closed_with_advance_and_balance():
    application = advance_to(GrantApplicationFactory(), State.CLOSED, awarded=Decimal("35000.00"))

    assert application.state == State.CLOSED
    assert application.reference.startswith("MUT-")
    orders = PaymentOrder.objects.filter(object_id=application.pk).order_by("pk")
    assert [(o.kind, o.amount) for o in orders] == [
        (PaymentOrder.Kind.GRANT_ADVANCE, Decimal("24500.00")),
        (PaymentOrder.Kind.GRANT_BALANCE, Decimal("10500.00")),
    ]
    assert HistoryEntry.objects.for_file(application).exclude(transition__in=EVENT_LABELS).count() == 7
