"""The officer work queue and the in-app inbox."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Notification, PaymentOrder
from core.notifications import notify
from tests.factories import PaymentOrderFactory, UserFactory, applicant, staff

pytestmark = pytest.mark.django_db


def test_a_finance_officer_sees_pending_payment_orders_of_their_administration(client):
    finance = staff("finance")
    order = PaymentOrderFactory()
    PaymentOrderFactory(administration=staff("finance", "iriscare").staff_roles.get().administration)
    client.force_login(finance)

    page = client.get("/work-queue/")

    assert page.status_code == 200
    assert [row["reference"] for row in page.context["page"].object_list] == [order.file_reference]


def test_the_work_queue_is_empty_for_an_officer_when_nothing_waits(client):
    client.force_login(staff("officer"))

    page = client.get("/work-queue/")

    assert page.status_code == 200
    assert not page.context["page"].object_list


def test_the_work_queue_filters_by_state(client):
    finance = staff("finance")
    PaymentOrderFactory()
    client.force_login(finance)

    page = client.get("/work-queue/", {"state": PaymentOrder.State.APPROVED})

    assert not page.context["page"].object_list


def test_the_work_queue_costs_the_same_number_of_queries_for_3_or_30_rows(client):
    finance = staff("finance")
    client.force_login(finance)
    PaymentOrderFactory.create_batch(3)
    client.get("/work-queue/")  # warm the session and content-type caches

    with CaptureQueriesContext(connection) as few:
        client.get("/work-queue/")
    PaymentOrderFactory.create_batch(27)
    with CaptureQueriesContext(connection) as many:
        client.get("/work-queue/")

    assert len(many) == len(few)


def test_the_work_queue_is_not_found_for_applicants(client):
    client.force_login(applicant())

    assert client.get("/work-queue/").status_code == 404


def test_a_notification_is_written_in_the_recipients_language():
    dutch = UserFactory(preferred_language="nl")
    french = UserFactory(preferred_language="fr")

    sent = notify(
        recipients=[dutch, french, dutch],
        subject="%(reference)s",
        body="Body",
        context={"reference": "MUT-2026-00001"},
    )

    assert len(sent) == 2
    assert {n.recipient for n in sent} == {dutch, french}


def test_the_inbox_lists_only_the_users_own_messages(client):
    user = UserFactory()
    notify(recipients=[user], subject="Mine", body="Body")
    notify(recipients=[UserFactory()], subject="Someone else's", body="Body")
    client.force_login(user)

    page = client.get("/inbox/")

    assert [n.subject for n in page.context["page"].object_list] == ["Mine"]


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    user = UserFactory()
    (notification,) = notify(recipients=[user], subject="Look", body="Body", link="/organisations/")
    client.force_login(user)

    response = client.post(f"/inbox/{notification.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_cannot_be_opened(client):
    (notification,) = notify(recipients=[UserFactory()], subject="Private", body="Body")
    client.force_login(UserFactory())

    assert client.post(f"/inbox/{notification.pk}/open/").status_code == 404


def test_the_unread_count_shows_in_the_navigation(client):
    user = UserFactory()
    notify(recipients=[user], subject="New", body="Body")
    Notification.objects.create(recipient=user, subject="Old", body="", read_at=timezone.now())
    client.force_login(user)

    page = client.get("/inbox/")

    assert page.context["nav_unread_notifications"] == 1


def test_a_page_of_the_queue_has_the_rows_the_whole_queue_has_at_that_place():
    from datetime import timedelta

    from core.work_queue import work_queue, work_queue_count
    from grants.models import GrantApplication
    from grants.states import State
    from guarantees.models import GuaranteeRequest
    from guarantees.states import State as GuaranteeState
    from tests.grants.factories import GrantApplicationFactory
    from tests.grants.factories import advance_to as grant_to
    from tests.guarantees.factories import GuaranteeRequestFactory
    from tests.guarantees.factories import advance_to as guarantee_to

    today = timezone.localdate()
    for days in (5, 1, 9):  # grant files waiting for screening, their deadlines apart
        application = grant_to(GrantApplicationFactory(), State.SUBMITTED)
        GrantApplication.objects.filter(pk=application.pk).update(deadline=today + timedelta(days=days))
    for days in (2, 7, 4):  # guarantee requests likewise
        request = guarantee_to(GuaranteeRequestFactory(), GuaranteeState.SUBMITTED)
        GuaranteeRequest.objects.filter(pk=request.pk).update(deadline=today + timedelta(days=days))
    officer = staff("officer")

    whole = [(row["scheme"], row["pk"]) for row in work_queue(officer, {})]
    second_page = [(row["scheme"], row["pk"]) for row in work_queue(officer, {}, upto=4)[2:4]]

    assert work_queue_count(officer, {}) == len(whole) == 6
    assert second_page == whole[2:4]
