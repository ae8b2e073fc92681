"""Helpers for the web tests: one English-speaking user per role of SPEC §1, signed-in clients."""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Membership
from tests.factories import OrganisationFactory, RecognitionFactory, UserFactory, applicant, staff

ENGLISH = {"preferred_language": "en"}
APPLICANT_ROLES = ["admin", "member", "other_applicant", "mentor", "lender"]
STAFF_ROLES = ["officer", "approver", "finance", "iriscare_officer"]


def make_person(role: str, organisation):
    """A user holding `role`; "admin" and "member" belong to `organisation`, the others do not.

    Everyone reads the interface in English, so the tests can look for English messages."""
    if role == "admin":
        return applicant(organisation, **ENGLISH)
    if role == "member":
        return applicant(organisation, role=Membership.Role.MEMBER, **ENGLISH)
    if role == "other_applicant":
        return applicant(**ENGLISH)
    if role == "mentor":
        return applicant(OrganisationFactory(is_mentor=True), **ENGLISH)
    if role == "lender":
        return applicant(OrganisationFactory(lender=True), **ENGLISH)
    if role in {"officer", "approver", "finance"}:
        return staff(role, "cocof", **ENGLISH)
    if role == "iriscare_officer":
        return staff("officer", "iriscare", **ENGLISH)
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True, **ENGLISH)
    raise ValueError(f"unknown role {role!r}")


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Login throttling counts failures in the cache; every test starts without any."""
    cache.clear()


@pytest.fixture
def organisation():
    return RecognitionFactory().organisation


@pytest.fixture
def person(organisation):
    return lambda role: make_person(role, organisation)


@pytest.fixture
def client_for():
    """A test client signed in as the user (anonymous for None), asking for English pages."""

    def make(user, **client_options) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en", **client_options)
        if user is not None:
            client.force_login(user)
        return client

    return make
