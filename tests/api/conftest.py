"""Helpers for the API tests: one user per role of SPEC §1, and clients signed in with a token."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import RecognitionFactory, UserFactory, person_with_role


def verified_user(**fields):
    """A user whose e-mail address is confirmed, as allauth requires before any sign-in."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Throttle counters live in the cache; every test starts without any."""
    cache.clear()


@pytest.fixture
def organisation():
    """The eligible organisation whose admin and member the role-based tests use."""
    return RecognitionFactory().organisation


@pytest.fixture
def person(organisation):
    return lambda role: person_with_role(role, organisation)


@pytest.fixture
def client_for():
    """An API client authenticated with the user's token (anonymous for None)."""

    def make(user) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
