"""Helpers for the API tests: one user per role of SPEC §1, and clients signed in with a token."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Membership
from tests.factories import OrganisationFactory, RecognitionFactory, UserFactory, applicant, staff

APPLICANT_ROLES = ["admin", "member", "other_applicant", "mentor", "lender"]
COCOF_STAFF_ROLES = ["officer", "approver", "finance"]
STAFF_ROLES = [*COCOF_STAFF_ROLES, "iriscare_officer"]


def make_person(role: str, organisation):
    """A user holding `role`; "admin" and "member" belong to `organisation`, the others do not."""
    if role == "anonymous":
        return None
    if role == "admin":
        return applicant(organisation)
    if role == "member":
        return applicant(organisation, role=Membership.Role.MEMBER)
    if role == "other_applicant":
        return applicant()
    if role == "mentor":
        return applicant(RecognitionFactory(organisation=OrganisationFactory(is_mentor=True)).organisation)
    if role == "lender":
        return applicant(OrganisationFactory(lender=True))
    if role in COCOF_STAFF_ROLES:
        return staff(role, "cocof")
    if role == "iriscare_officer":
        return staff("officer", "iriscare")
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    raise ValueError(f"unknown role {role!r}")


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
    return lambda role: make_person(role, organisation)


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
