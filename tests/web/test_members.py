"""An organisation's administrators remove members; the last administrator stays."""

import pytest

from accounts.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_removes_a_member(person, client_for, organisation):
    member = person("member")
    membership = Membership.objects.get(user=member, organisation=organisation)

    response = client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/members/{membership.pk}/remove/"
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_administrator_cannot_be_removed(person, client_for, organisation):
    admin = person("admin")
    membership = Membership.objects.get(user=admin, organisation=organisation)

    response = client_for(admin).post(
        f"/organisations/{organisation.pk}/members/{membership.pk}/remove/", follow=True
    )

    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "message-error" in response.content.decode()


def test_a_plain_member_cannot_remove_anyone(person, client_for, organisation):
    admin_membership = Membership.objects.get(user=person("admin"), organisation=organisation)

    response = client_for(person("member")).post(
        f"/organisations/{organisation.pk}/members/{admin_membership.pk}/remove/"
    )

    assert response.status_code == 403
    assert Membership.objects.filter(pk=admin_membership.pk).exists()


def test_a_membership_of_another_organisation_is_not_found(person, client_for, organisation):
    elsewhere = MembershipFactory()

    response = client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/members/{elsewhere.pk}/remove/"
    )

    assert response.status_code == 404
