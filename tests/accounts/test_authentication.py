"""Self-registration with e-mail confirmation, e-mail login and password reset, in the user's language."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, language="nl", email="new.person@example.org"):
    return client.post(
        "/auth/signup/",
        {
            "email": email,
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "first_name": "Lotte",
            "last_name": "Maes",
            "preferred_language": language,
        },
    )


def subject_in(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def test_signing_up_stores_the_profile_and_the_preferred_language(client):
    sign_up(client)

    user = User.objects.get(email="new.person@example.org")
    assert (user.first_name, user.last_name, user.preferred_language) == ("Lotte", "Maes", "nl")


def test_the_confirmation_e_mail_is_written_in_the_preferred_language(client):
    sign_up(client, language="nl")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith(subject_in("nl", "Please Confirm Your Email Address"))
    assert subject_in("nl", "Please Confirm Your Email Address") != "Please Confirm Your Email Address"


def test_an_unconfirmed_account_cannot_sign_in_yet(client):
    sign_up(client)
    client.logout()

    response = client.post(
        "/auth/login/", {"login": "new.person@example.org", "password": "a-long-enough-passphrase"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/auth/confirm-email/")
    assert "_auth_user_id" not in client.session


def test_signing_up_with_a_taken_address_reveals_nothing_and_warns_its_owner(client):
    UserFactory(email="taken@example.org")

    response = sign_up(client, email="taken@example.org")

    assert response.status_code == 302  # same answer as a new address: no account enumeration
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert mail.outbox[0].to == ["taken@example.org"]


def test_a_confirmed_user_signs_in_with_e_mail_and_password(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="confirmed@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post("/auth/login/", {"login": "Confirmed@Example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_password_reset_mail_goes_out_in_the_users_language(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="forgetful@example.org", preferred_language="fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    client.post("/auth/password/reset/", {"email": "forgetful@example.org"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith(subject_in("fr", "Password Reset Email"))
