"""/api/v1/payments/orders/: scope per administration and the generic workflow endpoints."""

import pytest

from core.models import PaymentOrder
from tests.factories import APPLICANT_ROLES, COCOF_STAFF_ROLES, PaymentOrderFactory, administration, staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/orders/"


@pytest.fixture
def cocof_order():
    return PaymentOrderFactory()


@pytest.fixture
def iriscare_order():
    return PaymentOrderFactory(administration=administration("iriscare"))


def order_url(order, suffix=""):
    return f"{URL}{order.pk}/{suffix}"


# -- scope ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", COCOF_STAFF_ROLES)
def test_cocof_staff_list_only_cocof_orders(role, person, client_for, cocof_order, iriscare_order):
    response = client_for(person(role)).get(URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [cocof_order.pk]
    assert response.json()["results"][0]["administration"] == "cocof"


@pytest.mark.parametrize("role", COCOF_STAFF_ROLES)
def test_cocof_staff_read_a_cocof_order_with_its_reference_and_state(role, person, client_for, cocof_order):
    response = client_for(person(role)).get(order_url(cocof_order))

    assert response.status_code == 200
    assert response.json()["reference"] == f"PAY-{cocof_order.pk:06d}"
    assert response.json()["state"] == "pending"


@pytest.mark.parametrize("role", ["officer", "approver", "finance"])
def test_iriscare_staff_get_404_on_a_cocof_order(role, client_for, cocof_order):
    response = client_for(staff(role, "iriscare")).get(order_url(cocof_order))

    assert response.status_code == 404


@pytest.mark.parametrize("role", [*APPLICANT_ROLES, "superuser"])
def test_people_outside_the_administrations_list_no_orders(
    role, person, client_for, cocof_order, iriscare_order
):
    response = client_for(person(role)).get(URL)

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("role", APPLICANT_ROLES)
def test_an_applicant_gets_404_on_an_order(role, person, client_for, cocof_order):
    response = client_for(person(role)).get(order_url(cocof_order))

    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["transitions/", "history/"])
def test_an_applicant_gets_404_on_an_orders_workflow_endpoints(suffix, person, client_for, cocof_order):
    response = client_for(person("admin")).get(order_url(cocof_order, suffix))

    assert response.status_code == 404


def test_an_iriscare_finance_officer_cannot_approve_a_cocof_order(client_for, cocof_order):
    response = client_for(staff("finance", "iriscare")).post(order_url(cocof_order, "transitions/approve/"))

    assert response.status_code == 404
    cocof_order.refresh_from_db()
    assert cocof_order.state == "pending"


def test_orders_cannot_be_created_through_the_api(person, client_for):
    response = client_for(person("finance")).post(URL, {"amount": "10.00"}, format="json")

    assert response.status_code == 405


def test_the_order_list_filters_by_state(person, client_for):
    pending = PaymentOrderFactory()
    approved = PaymentOrderFactory()
    staff_finance = staff("finance")
    client_for(staff_finance).post(order_url(approved, "transitions/approve/"))

    response = client_for(person("officer")).get(URL, {"state": "pending"})

    assert [row["id"] for row in response.json()["results"]] == [pending.pk]


# -- available transitions --------------------------------------------------------------------------


def test_a_finance_officer_who_did_not_create_the_order_may_approve_or_cancel_it(client_for, cocof_order):
    response = client_for(staff("finance")).get(order_url(cocof_order, "transitions/"))

    assert response.status_code == 200
    assert [item["name"] for item in response.json()] == ["approve", "cancel"]


def test_each_available_transition_describes_its_target_and_parameters(client_for, cocof_order):
    response = client_for(staff("finance")).get(order_url(cocof_order, "transitions/"))

    cancel = next(item for item in response.json() if item["name"] == "cancel")
    assert cancel["target"] == "cancelled"
    assert cancel["label"]
    assert {"name": "comment", "required": True}.items() <= cancel["parameters"][0].items()


@pytest.mark.parametrize("role", ["officer", "approver"])
def test_an_officer_or_approver_has_no_transition_on_an_order(role, person, client_for, cocof_order):
    response = client_for(person(role)).get(order_url(cocof_order, "transitions/"))

    assert response.status_code == 200
    assert response.json() == []


def test_the_finance_officer_who_created_the_order_is_only_offered_to_cancel_it(client_for):
    creator = staff("finance")
    order = PaymentOrderFactory(created_by=creator)

    response = client_for(creator).get(order_url(order, "transitions/"))

    assert [item["name"] for item in response.json()] == ["cancel"]


# -- performing transitions -------------------------------------------------------------------------


def test_a_finance_officer_approves_the_order(client_for, cocof_order):
    finance = staff("finance")

    response = client_for(finance).post(order_url(cocof_order, "transitions/approve/"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    assert response.json()["approved_at"]
    cocof_order.refresh_from_db()
    assert cocof_order.approved_by == finance


def test_the_finance_officer_who_created_the_order_may_not_approve_it(client_for):
    creator = staff("finance")
    order = PaymentOrderFactory(created_by=creator)

    response = client_for(creator).post(order_url(order, "transitions/approve/"), {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "four_eyes"
    assert response.json()["detail"]
    order.refresh_from_db()
    assert order.state == "pending"


@pytest.mark.parametrize("role", ["officer", "approver"])
def test_an_officer_or_approver_may_not_approve_an_order(role, person, client_for, cocof_order):
    response = client_for(person(role)).post(
        order_url(cocof_order, "transitions/approve/"), {}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"


def test_approving_an_order_twice_answers_409(client_for, cocof_order):
    client = client_for(staff("finance"))
    client.post(order_url(cocof_order, "transitions/approve/"), {}, format="json")

    response = client.post(order_url(cocof_order, "transitions/approve/"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_cancelling_without_a_comment_answers_400_on_comment(client_for, cocof_order):
    response = client_for(staff("finance")).post(
        order_url(cocof_order, "transitions/cancel/"), {"comment": ""}, format="json"
    )

    assert response.status_code == 400
    assert "comment" in response.json()["errors"]
    cocof_order.refresh_from_db()
    assert cocof_order.state == "pending"


def test_cancelling_with_a_comment_cancels_the_order(client_for, cocof_order):
    response = client_for(staff("finance")).post(
        order_url(cocof_order, "transitions/cancel/"), {"comment": "Duplicate order"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"


def test_an_unknown_transition_answers_404(client_for, cocof_order):
    response = client_for(staff("finance")).post(
        order_url(cocof_order, "transitions/pay_twice/"), {}, format="json"
    )

    assert response.status_code == 404


def test_a_transition_name_that_is_a_plain_method_answers_404(client_for, cocof_order):
    response = client_for(staff("finance")).post(
        order_url(cocof_order, "transitions/delete/"), {}, format="json"
    )

    assert response.status_code == 404
    assert PaymentOrder.objects.filter(pk=cocof_order.pk).exists()


def test_an_approved_order_is_marked_paid_by_another_step(client_for, cocof_order):
    client = client_for(staff("finance"))
    client.post(order_url(cocof_order, "transitions/approve/"), {}, format="json")

    response = client.post(order_url(cocof_order, "transitions/mark_paid/"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "paid"


# -- history ----------------------------------------------------------------------------------------


def test_the_history_lists_every_transition_in_order_with_its_actor(client_for, cocof_order):
    approver_of_payment = staff("finance", email="first@cocof.example")
    canceller = staff("finance", email="second@cocof.example")
    client_for(approver_of_payment).post(order_url(cocof_order, "transitions/approve/"), {}, format="json")
    client_for(canceller).post(
        order_url(cocof_order, "transitions/cancel/"), {"comment": "Wrong account"}, format="json"
    )

    response = client_for(staff("officer")).get(order_url(cocof_order, "history/"))

    assert response.status_code == 200
    assert [(e["transition"], e["source_state"], e["target_state"], e["actor"]) for e in response.json()] == [
        ("approve", "pending", "approved", "first@cocof.example"),
        ("cancel", "approved", "cancelled", "second@cocof.example"),
    ]
    assert response.json()[1]["comment"] == "Wrong account"


def test_a_refused_transition_leaves_no_history(client_for, cocof_order):
    client_for(staff("officer")).post(order_url(cocof_order, "transitions/approve/"), {}, format="json")

    response = client_for(staff("finance")).get(order_url(cocof_order, "history/"))

    assert response.json() == []


# -- SEPA export media type -------------------------------------------------------------------------


@pytest.fixture
def cocof_with_bank_details():
    found = administration("cocof")
    found.iban, found.bic = "BE68539007547034", "GEBABEBB"
    found.save()
    return found


def test_the_sepa_export_is_served_to_a_client_that_accepts_only_xml(client_for, cocof_with_bank_details):
    PaymentOrderFactory(state=PaymentOrder.State.APPROVED)

    response = client_for(staff("finance")).post(
        f"{URL}export/?administration=cocof", HTTP_ACCEPT="application/xml"
    )

    assert (response.status_code, response["Content-Type"]) == (200, "application/xml")
    assert response.content.startswith(b"<?xml")


def test_a_refused_sepa_export_answers_json_to_a_client_that_accepts_only_xml(client_for):
    response = client_for(staff("finance")).post(f"{URL}export/", HTTP_ACCEPT="application/xml")

    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert "administration" in response.json()["errors"]


def test_the_api_filters_orders_by_direction_and_due_date(client_for):
    from datetime import date, timedelta

    today = date.today()
    fee = PaymentOrderFactory(kind=PaymentOrder.Kind.GUARANTEE_FEE, due_date=today + timedelta(days=10))
    PaymentOrderFactory(kind=PaymentOrder.Kind.GUARANTEE_FEE, due_date=today + timedelta(days=40))
    PaymentOrderFactory(kind=PaymentOrder.Kind.GRANT_ADVANCE, due_date=today + timedelta(days=10))
    finance = client_for(staff("finance"))

    answer = finance.get(URL, {"direction": "receivable", "due_to": str(today + timedelta(days=20))})

    assert [row["id"] for row in answer.json()["results"]] == [fee.pk]


def test_the_api_filters_orders_by_scheme(client_for):
    mentoring = PaymentOrderFactory(kind=PaymentOrder.Kind.MENTORING_COMPENSATION)
    PaymentOrderFactory(kind=PaymentOrder.Kind.GRANT_BALANCE)

    answer = client_for(staff("finance")).get(URL, {"scheme": "mentoring"})

    assert [row["id"] for row in answer.json()["results"]] == [mentoring.pk]
