"""The finance pages: payment orders, their four-eyes approval and the SEPA export."""

import pytest

from core.models import PaymentOrder
from tests.factories import PaymentOrderFactory, applicant, staff

pytestmark = pytest.mark.django_db


def test_finance_lists_the_payment_orders_of_its_administration(client):
    order = PaymentOrderFactory()
    PaymentOrderFactory(administration=staff("finance", "iriscare").staff_roles.get().administration)
    client.force_login(staff("finance"))

    page = client.get("/payments/orders/")

    assert [o.pk for o in page.context["page"].object_list] == [order.pk]


def test_applicants_do_not_see_payment_orders(client):
    order = PaymentOrderFactory()
    client.force_login(applicant())

    assert client.get("/payments/orders/").status_code == 404
    assert client.get(order.get_absolute_url()).status_code == 404


def test_staff_of_another_administration_do_not_find_the_order(client):
    order = PaymentOrderFactory()
    client.force_login(staff("finance", "iriscare"))

    assert client.get(order.get_absolute_url()).status_code == 404


def test_a_finance_officer_approves_an_order_someone_else_created(client):
    order = PaymentOrderFactory()
    client.force_login(staff("finance"))

    response = client.post(f"{order.get_absolute_url()}transitions/approve/")

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.APPROVED


def test_the_creator_of_an_order_cannot_approve_it(client):
    finance = staff("finance")
    order = PaymentOrderFactory(created_by=finance)
    client.force_login(finance)

    response = client.post(f"{order.get_absolute_url()}transitions/approve/")

    assert response.status_code == 403
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.PENDING


def test_the_order_page_offers_finance_its_actions(client):
    order = PaymentOrderFactory()
    client.force_login(staff("finance"))

    page = client.get(order.get_absolute_url()).content.decode()

    assert 'data-transition="approve"' in page
    assert 'data-transition="cancel"' in page


def test_finance_downloads_the_sepa_file_of_approved_orders(client):
    finance = staff("finance")
    order = PaymentOrderFactory()
    client.force_login(finance)
    client.post(f"{order.get_absolute_url()}transitions/approve/")
    administration = order.administration
    administration.iban, administration.bic = "BE68539007547034", "GKCCBEBB"
    administration.save()

    response = client.post("/payments/orders/sepa-export/", {"administration": administration.code})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert order.remittance_information.encode() in response.content


def test_an_export_with_nothing_to_pay_comes_back_with_a_message(client):
    client.force_login(staff("finance"))

    response = client.post("/payments/orders/sepa-export/", {"administration": "cocof"}, follow=True)

    assert response.redirect_chain[-1][0] == "/payments/orders/"
    assert "message-error" in response.content.decode()


def test_an_officer_may_not_export_payments(client):
    client.force_login(staff("officer"))

    assert client.post("/payments/orders/sepa-export/", {"administration": "cocof"}).status_code == 403


def test_the_scheme_filter_keeps_only_that_schemes_orders(client):
    grant = PaymentOrderFactory(kind=PaymentOrder.Kind.GRANT_ADVANCE)
    PaymentOrderFactory(kind=PaymentOrder.Kind.GUARANTEE_FEE)
    client.force_login(staff("finance"))

    page = client.get("/payments/orders/?scheme=grants")

    assert [o.pk for o in page.context["page"].object_list] == [grant.pk]


def test_the_receivables_shortcut_shows_owed_orders_with_their_days_overdue(client):
    from datetime import date, timedelta

    late = PaymentOrderFactory(
        kind=PaymentOrder.Kind.GUARANTEE_FEE, due_date=date.today() - timedelta(days=5)
    )
    PaymentOrderFactory(kind=PaymentOrder.Kind.GRANT_ADVANCE)
    client.force_login(staff("finance"))

    page = client.get("/payments/orders/?receivables=on")

    assert [o.pk for o in page.context["page"].object_list] == [late.pk]
    assert 'data-days-overdue="5"' in page.content.decode()


def test_the_due_date_range_keeps_the_orders_due_within_it(client):
    from datetime import date, timedelta

    today = date.today()
    soon = PaymentOrderFactory(due_date=today + timedelta(days=3))
    PaymentOrderFactory(due_date=today + timedelta(days=30))
    client.force_login(staff("finance"))

    page = client.get("/payments/orders/", {"due_from": str(today), "due_to": str(today + timedelta(days=7))})

    assert [o.pk for o in page.context["page"].object_list] == [soon.pk]
