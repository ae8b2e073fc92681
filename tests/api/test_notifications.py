"""/api/v1/notifications/: each user's own inbox, and marking a message read."""

import pytest

from core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


def notification_for(user, subject="Your file moved"):
    return Notification.objects.create(recipient=user, subject=subject, body="Details inside.")


@pytest.mark.parametrize("role", ["admin", "mentor", "lender", "officer", "finance", "superuser"])
def test_a_user_lists_only_their_own_notifications(role, person, client_for):
    user = person(role)
    mine = notification_for(user)
    notification_for(UserFactory())

    response = client_for(user).get(URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_reading_a_notification_marks_it_read(client_for):
    user = UserFactory()
    notification = notification_for(user)

    response = client_for(user).post(f"{URL}{notification.pk}/read/")

    assert response.status_code == 200
    assert response.json()["read_at"]
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_reading_a_notification_twice_keeps_the_first_reading_time(client_for):
    user = UserFactory()
    notification = notification_for(user)
    client = client_for(user)
    first = client.post(f"{URL}{notification.pk}/read/").json()["read_at"]

    second = client.post(f"{URL}{notification.pk}/read/").json()["read_at"]

    assert second == first


def test_unread_notifications_can_be_filtered(client_for):
    user = UserFactory()
    unread = notification_for(user, "New")
    read = notification_for(user, "Old")
    client = client_for(user)
    client.post(f"{URL}{read.pk}/read/")

    response = client.get(URL, {"read_at__isnull": "true"})

    assert [row["id"] for row in response.json()["results"]] == [unread.pk]


def test_someone_elses_notification_answers_404(client_for):
    notification = notification_for(UserFactory())

    response = client_for(UserFactory()).get(f"{URL}{notification.pk}/")

    assert response.status_code == 404


def test_marking_someone_elses_notification_read_answers_404_and_changes_nothing(client_for):
    notification = notification_for(UserFactory())

    response = client_for(UserFactory()).post(f"{URL}{notification.pk}/read/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notifications_cannot_be_deleted_through_the_api(client_for):
    user = UserFactory()
    notification = notification_for(user)

    response = client_for(user).delete(f"{URL}{notification.pk}/")

    assert response.status_code == 405
    assert Notification.objects.filter(pk=notification.pk).exists()
