"""Helpers for the web tests: one English-speaking user per role of SPEC §1, signed-in clients."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import RecognitionFactory, person_with_role

ENGLISH = {"preferred_language": "en"}


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Login throttling counts failures in the cache; every test starts without any."""
    cache.clear()


@pytest.fixture
def organisation():
    return RecognitionFactory().organisation


@pytest.fixture
def person(organisation):
    # Everyone reads the interface in English, so the tests can look for English messages.
    return lambda role: person_with_role(role, organisation, **ENGLISH)


@pytest.fixture
def client_for():
    """A test client signed in as the user (anonymous for None), asking for English pages."""

    def make(user, **client_options) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en", **client_options)
        if user is not None:
            client.force_login(user)
        return client

    return make
