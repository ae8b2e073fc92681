"""Scheme parameters in the admin: versions with an effective date; a version an offer used is never changed."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import User
from guarantees.models import SchemeParameters
from guarantees.states import State

from .factories import GuaranteeRequestFactory, advance_to, scheme_parameters

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser(
        email="admin@example.org", password="x" * 20, preferred_language="en"
    )
    client.force_login(admin)
    return client


def test_an_unused_version_may_be_edited(admin_client):
    parameters = scheme_parameters()

    page = admin_client.get(f"/admin/guarantees/schemeparameters/{parameters.pk}/change/")

    assert page.status_code == 200
    assert b'name="endowment"' in page.content


def test_a_version_used_by_an_offer_is_read_only_and_a_new_version_takes_over_from_its_date(admin_client):
    offered = advance_to(GuaranteeRequestFactory(), State.OFFERED)
    used = offered.parameters

    page = admin_client.get(f"/admin/guarantees/schemeparameters/{used.pk}/change/")
    newer = SchemeParameters.objects.create(
        fund=used.fund,
        effective_from=date(2025, 1, 1),
        endowment=Decimal("1000000"),
        leverage_multiplier=Decimal("2"),
        organisation_cap=Decimal("100000"),
    )

    assert b'name="endowment"' not in page.content
    assert SchemeParameters.objects.in_force_on(date(2026, 1, 1)) == newer
    offered.refresh_from_db()
    assert offered.parameters == used
