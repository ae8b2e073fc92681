"""Marking an order paid (or a receivable received) records the date on the bank statement: today
unless told, never in the future nor before the order existed; shown on the web and in the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import InvalidInput
from core.models import PaymentOrder
from core.workflow import perform_transition
from tests.factories import PaymentOrderFactory, staff

pytestmark = pytest.mark.django_db


def approved_order(**fields):
    order = PaymentOrderFactory(**fields)
    finance = staff("finance")
    return perform_transition(file=order, name="approve", acting_user=finance), finance


def test_the_payment_date_entered_is_recorded():
    order, finance = approved_order()
    yesterday = timezone.localdate() - timedelta(days=1)
    PaymentOrder.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=5))

    order = perform_transition(
        file=order, name="mark_paid", acting_user=finance, data={"paid_on": yesterday.isoformat()}
    )

    assert order.state == PaymentOrder.State.PAID
    assert order.paid_on == yesterday


def test_the_payment_date_is_today_when_left_empty():
    order, finance = approved_order()

    order = perform_transition(file=order, name="mark_paid", acting_user=finance)

    assert order.paid_on == timezone.localdate()


def test_a_payment_date_in_the_future_is_refused_and_the_order_stays_approved():
    order, finance = approved_order()
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(InvalidInput) as refused:
        perform_transition(
            file=order, name="mark_paid", acting_user=finance, data={"paid_on": tomorrow.isoformat()}
        )

    assert "paid_on" in refused.value.errors
    order.refresh_from_db()
    assert (order.state, order.paid_on) == (PaymentOrder.State.APPROVED, None)


def test_a_payment_date_before_the_order_was_created_is_refused():
    order, finance = approved_order()
    long_ago = timezone.localdate() - timedelta(days=30)

    with pytest.raises(InvalidInput) as refused:
        perform_transition(
            file=order, name="mark_paid", acting_user=finance, data={"paid_on": long_ago.isoformat()}
        )

    assert "paid_on" in refused.value.errors


def test_the_api_answers_the_payment_date_and_a_field_error_for_a_future_one(api_client):
    order, finance = approved_order()
    api_client.force_authenticate(finance)
    url = f"/api/v1/payments/orders/{order.pk}/transitions/mark_paid/"

    refused = api_client.post(url, {"paid_on": "2999-01-01"}, format="json")
    accepted = api_client.post(url, {"paid_on": timezone.localdate().isoformat()}, format="json")

    assert refused.status_code == 400
    assert "paid_on" in str(refused.json())
    assert accepted.status_code == 200
    assert (
        api_client.get(f"/api/v1/payments/orders/{order.pk}/").json()["paid_on"]
        == timezone.localdate().isoformat()
    )


def test_the_order_page_shows_when_a_receivable_was_received(client):
    order, finance = approved_order(kind=PaymentOrder.Kind.GUARANTEE_FEE)
    perform_transition(file=order, name="mark_paid", acting_user=finance)
    client.force_login(finance)
    finance.preferred_language = "en"
    finance.save()

    page = client.get(order.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert b"Received on" in page.content
    assert b'id="paid-on"' in page.content
