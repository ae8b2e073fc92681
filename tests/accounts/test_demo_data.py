"""The demo data command (SPEC §8): idempotent, every account can log in, refused in production."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from accounts.models import Organisation, User
from core.eligibility import check_eligibility

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-password-2026"

DEMO_ACCOUNTS = [
    "applicant@demo.example",
    "colleague@demo.example",
    "other-applicant@demo.example",
    "mentor@demo.example",
    "lender@demo.example",
    "officer.cocof@demo.example",
    "approver.cocof@demo.example",
    "finance.cocof@demo.example",
    "officer.iriscare@demo.example",
    "approver.iriscare@demo.example",
    "finance.iriscare@demo.example",
    "admin@demo.example",
]


@pytest.fixture
def demo_data():
    call_command("load_demo_data", verbosity=0)


def test_loading_the_demo_data_twice_creates_each_of_the_twelve_accounts_once():
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)

    assert sorted(User.objects.values_list("email", flat=True)) == sorted(DEMO_ACCOUNTS)


def test_loading_the_demo_data_twice_creates_each_organisation_once():
    call_command("load_demo_data", verbosity=0)
    organisations = Organisation.objects.count()

    call_command("load_demo_data", verbosity=0)

    assert Organisation.objects.count() == organisations
    assert Organisation.objects.filter(memberships__isnull=False).distinct().count() == 4


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_every_demo_account_can_log_in_with_the_demo_password(demo_data, email):
    assert Client().login(email=email, password=DEMO_PASSWORD)


def test_every_demo_account_has_a_verified_primary_email_address(demo_data):
    verified = EmailAddress.objects.filter(verified=True, primary=True).values_list("email", flat=True)

    assert sorted(verified) == sorted(DEMO_ACCOUNTS)


def test_the_demo_applicants_organisation_is_eligible_for_grants(demo_data):
    organisation = User.objects.get(email="applicant@demo.example").organisations.get()

    assert check_eligibility(organisation, "grants").eligible


def test_only_the_demo_administrator_is_superuser(demo_data):
    assert list(User.objects.filter(is_superuser=True).values_list("email", flat=True)) == [
        "admin@demo.example"
    ]


@override_settings(DEMO_DATA_ALLOWED=False)
def test_the_command_refuses_when_demo_data_is_not_allowed():
    with pytest.raises(CommandError):
        call_command("load_demo_data", verbosity=0)

    assert not User.objects.exists()
