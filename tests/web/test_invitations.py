"""Inviting a colleague by e-mail, and accepting the invitation."""

import pytest
from django.core import mail

from accounts.models import Invitation, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(person, client_for, organisation, django_capture_on_commit_callbacks):
    """The organisation's admin invites `email`; the e-mail leaves once the transaction commits."""

    def send(email="colleague@example.org", role="member", inviter=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(inviter or person("admin")).post(
                f"/organisations/{organisation.pk}/invitations/", {"email": email, "role": role}
            )

    return send


def test_the_admin_invites_a_colleague_who_receives_an_email_with_the_link(invite, organisation):
    response = invite("colleague@example.org")

    invitation = Invitation.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert [message.to for message in mail.outbox] == [["colleague@example.org"]]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body


@pytest.mark.parametrize("role", ["member", "officer"])
def test_a_reader_who_is_not_its_admin_may_not_invite(role, person, invite, organisation):
    response = invite(inviter=person(role))

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_outsider_inviting_gets_404(person, invite):
    response = invite(inviter=person("other_applicant"))

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_inviting_someone_already_a_member_is_refused_next_to_the_address(person, invite):
    member = person("member")

    response = invite(member.email)

    assert response.status_code == 400
    assert "already a member" in response.content.decode().split('id="id_email_errors"')[1]
    assert mail.outbox == []


def test_an_invitation_to_a_malformed_address_is_refused(invite):
    response = invite("not-an-address")

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_the_invited_person_accepting_with_the_same_email_becomes_a_member(invite, client_for, organisation):
    invite("colleague@example.org", role="member")
    invitation = Invitation.objects.get()
    colleague = UserFactory(email="colleague@example.org", preferred_language="en")

    response = client_for(colleague).post(f"/invitations/{invitation.token}/")

    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert Membership.objects.get(user=colleague, organisation=organisation).role == "member"


def test_the_invited_email_is_matched_whatever_its_case(invite, client_for, organisation):
    invite("Colleague@Example.org")
    colleague = UserFactory(email="colleague@example.org", preferred_language="en")

    client_for(colleague).post(f"/invitations/{Invitation.objects.get().token}/")

    assert Membership.objects.filter(user=colleague, organisation=organisation).exists()


def test_an_invitation_as_administrator_gives_the_administrator_role(invite, client_for, organisation):
    invite("colleague@example.org", role="admin")
    colleague = UserFactory(email="colleague@example.org", preferred_language="en")

    client_for(colleague).post(f"/invitations/{Invitation.objects.get().token}/")

    assert Membership.objects.get(user=colleague, organisation=organisation).role == "admin"


def test_accepting_with_another_email_is_refused_with_a_message_and_no_membership(
    invite, client_for, organisation
):
    invite("colleague@example.org")
    intruder = UserFactory(email="intruder@example.org", preferred_language="en")

    response = client_for(intruder).post(f"/invitations/{Invitation.objects.get().token}/", follow=True)

    assert "This invitation was sent to colleague@example.org." in response.content.decode()
    assert not Membership.objects.filter(user=intruder, organisation=organisation).exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_cannot_be_accepted_twice(invite, client_for, organisation):
    invite("colleague@example.org")
    token = Invitation.objects.get().token
    colleague = UserFactory(email="colleague@example.org", preferred_language="en")
    client = client_for(colleague)
    client.post(f"/invitations/{token}/")
    Membership.objects.filter(user=colleague).delete()

    response = client.post(f"/invitations/{token}/", follow=True)

    assert "This invitation is no longer valid." in response.content.decode()
    assert not Membership.objects.filter(user=colleague).exists()


def test_an_unknown_invitation_token_is_refused_with_a_message(person, client_for):
    response = client_for(person("other_applicant")).post("/invitations/made-up-token/", follow=True)

    assert response.status_code == 200
    assert "This invitation is no longer valid." in response.content.decode()


def test_opening_the_invitation_link_asks_for_confirmation_without_joining(invite, client_for, organisation):
    invite("colleague@example.org")
    colleague = UserFactory(email="colleague@example.org", preferred_language="en")

    response = client_for(colleague).get(f"/invitations/{Invitation.objects.get().token}/")

    assert response.status_code == 200
    assert not Membership.objects.filter(user=colleague).exists()


def test_an_anonymous_visitor_opening_the_link_is_asked_to_sign_in(invite, client_for):
    invite("colleague@example.org")
    token = Invitation.objects.get().token

    response = client_for(None).get(f"/invitations/{token}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")
