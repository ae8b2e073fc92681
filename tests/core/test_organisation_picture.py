"""An organisation's page shows its files across the schemes, the amounts and the payments — each
person seeing only the files in their scope."""

from decimal import Decimal

import pytest

from grants.states import State
from tests.factories import staff
from tests.grants.factories import application_in
from tests.guarantees.factories import Cast as GuaranteeCast
from tests.guarantees.factories import GuaranteeRequestFactory
from tests.guarantees.factories import advance_to as advance_guarantee

pytestmark = pytest.mark.django_db


def page(client, user, organisation) -> str:
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    return client.get(f"/organisations/{organisation.pk}/").content.decode()


def test_members_see_their_grant_and_guarantee_files_with_the_amount_awarded(client):
    application, cast = application_in(State.IN_PROGRESS)
    organisation = application.lead_organisation
    guarantee = GuaranteeRequestFactory(borrower=organisation)
    guarantee = advance_guarantee(guarantee, "screening", GuaranteeCast(guarantee))

    shown = page(client, cast.applicant, organisation)

    assert application.reference in shown and guarantee.reference in shown
    assert "Awarded" in shown and "€35,000.00" in shown


def test_the_payments_of_the_files_are_listed(client):
    application, cast = application_in(State.IN_PROGRESS)

    shown = page(client, cast.officer, application.lead_organisation)

    assert 'id="organisation-payments"' in shown and 'data-kind="grant_advance"' in shown


def test_an_officer_of_another_administration_sees_none_of_its_files():
    from core.organisation_picture import picture

    application, cast = application_in(State.SCREENING)

    class Request:
        user = staff("officer", "iriscare")

    assert picture(Request, application.lead_organisation) is None


def test_an_officer_sees_the_files_of_their_administration_but_not_the_drafts():
    from core.organisation_picture import picture
    from tests.grants.factories import GrantApplicationFactory

    application, cast = application_in(State.SCREENING)
    draft = GrantApplicationFactory(lead_organisation=application.lead_organisation)

    class Request:
        user = cast.officer

    (kind,) = picture(Request, application.lead_organisation)["context"]["kinds"]
    assert [file.pk for file in kind["files"]] == [application.pk]
    assert draft.pk != application.pk


def test_the_picture_costs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    application, cast = application_in(State.IN_PROGRESS)
    organisation = application.lead_organisation
    for _ in range(4):
        application_in(State.SCREENING, lead_organisation=organisation)
    from core.organisation_picture import picture

    class Request:
        user = cast.officer

    with django_assert_max_num_queries(12):
        shown = picture(Request, organisation)

    assert len(shown["context"]["kinds"][0]["files"]) == 5
    assert shown["context"]["totals"][0]["amount"] == Decimal("35000.00")


def test_a_file_with_several_partners_is_listed_once_and_its_award_counted_once():
    from core.organisation_picture import picture
    from tests.factories import OrganisationFactory

    application, cast = application_in(State.IN_PROGRESS)
    application.partners.set([OrganisationFactory(), OrganisationFactory(), OrganisationFactory()])

    class Request:
        user = cast.officer

    shown = picture(Request, application.lead_organisation)["context"]
    assert [file.pk for file in shown["kinds"][0]["files"]] == [application.pk]
    assert shown["totals"][0]["amount"] == Decimal("35000.00")


def test_a_partner_sees_the_file_on_its_own_page():
    from core.organisation_picture import picture
    from tests.factories import OrganisationFactory

    application, cast = application_in(State.SCREENING)
    partner = OrganisationFactory()
    application.partners.add(partner)

    class Request:
        user = cast.officer

    (kind,) = picture(Request, partner)["context"]["kinds"]
    assert [file.pk for file in kind["files"]] == [application.pk]


def test_past_the_latest_files_of_a_kind_the_page_says_how_many_there_are_in_all(client, monkeypatch):
    monkeypatch.setattr("core.organisation_picture.FILES_PER_TYPE", 2)
    application, cast = application_in(State.SCREENING)
    organisation = application.lead_organisation
    for _ in range(2):
        application_in(State.SCREENING, lead_organisation=organisation)

    shown = page(client, cast.officer, organisation)

    assert "The latest 2 of 3 files." in shown
    assert shown.count('data-file="') == 2


def test_past_the_latest_payment_orders_the_page_says_only_those_are_shown(client, monkeypatch):
    monkeypatch.setattr("core.organisation_picture.PAYMENTS_SHOWN", 1)
    application, cast = application_in(State.IN_PROGRESS)
    application_in(State.IN_PROGRESS, lead_organisation=application.lead_organisation)

    shown = page(client, cast.officer, application.lead_organisation)

    assert "Only the latest 1 payment orders are shown." in shown
    assert shown.count('data-kind="grant_advance"') == 1
