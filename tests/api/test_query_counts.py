"""List endpoints cost a constant number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory, PaymentOrderFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_organisation_list_for_staff_costs_the_same_for_2_or_20_rows(client_for):
    client = client_for(staff("officer"))
    OrganisationFactory.create_batch(2, joint_committees=["319", "332"])
    with_two = queries_for(client, "/api/v1/organisations/")

    OrganisationFactory.create_batch(18, joint_committees=["319", "332"])
    with_twenty = queries_for(client, "/api/v1/organisations/")

    assert with_twenty == with_two


def test_the_organisation_list_for_an_applicant_costs_the_same_for_2_or_20_rows(client_for):
    user = UserFactory()
    client = client_for(user)
    for organisation in OrganisationFactory.create_batch(2, joint_committees=["319", "332"]):
        MembershipFactory(user=user, organisation=organisation)
    with_two = queries_for(client, "/api/v1/organisations/")

    for organisation in OrganisationFactory.create_batch(18, joint_committees=["319", "332"]):
        MembershipFactory(user=user, organisation=organisation)
    with_twenty = queries_for(client, "/api/v1/organisations/")

    assert with_twenty == with_two


def test_the_payment_order_list_costs_the_same_for_2_or_20_rows(client_for):
    client = client_for(staff("finance"))
    PaymentOrderFactory.create_batch(2)
    with_two = queries_for(client, "/api/v1/payments/orders/")

    PaymentOrderFactory.create_batch(18)
    with_twenty = queries_for(client, "/api/v1/payments/orders/")

    assert with_twenty == with_two


def test_the_payment_order_list_stays_within_its_query_budget(client_for, django_assert_max_num_queries):
    client = client_for(staff("finance"))
    PaymentOrderFactory.create_batch(20)

    # token + user, staff roles, count, page of orders
    with django_assert_max_num_queries(4):
        client.get("/api/v1/payments/orders/")


def test_the_notification_list_costs_the_same_for_2_or_20_rows(client_for):
    user = UserFactory()
    client = client_for(user)
    Notification.objects.bulk_create(
        [Notification(recipient=user, subject=f"n{i}", body="b") for i in range(2)]
    )
    with_two = queries_for(client, "/api/v1/notifications/")

    Notification.objects.bulk_create(
        [Notification(recipient=user, subject=f"n{i}", body="b") for i in range(18)]
    )
    with_twenty = queries_for(client, "/api/v1/notifications/")

    assert with_twenty == with_two
