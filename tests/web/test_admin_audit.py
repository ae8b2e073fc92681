"""Edits in the Django admin leave the same history rows, and cannot change a locked identity."""

import pytest
from django.utils import timezone

from accounts.models import Organisation
from core.models import HistoryEntry
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_form(organisation, **overrides) -> dict:
    data = {
        "name_fr": organisation.name_fr,
        "name_nl": organisation.name_nl,
        "legal_form": organisation.legal_form,
        "enterprise_number": organisation.enterprise_number,
        "street": organisation.street,
        "postal_code": organisation.postal_code,
        "city": organisation.city,
        "iban": organisation.iban,
        "bic": organisation.bic,
        "email": organisation.email,
        "preferred_language": organisation.preferred_language,
        "headcount_fte": str(organisation.headcount_fte),
        "annual_budget": str(organisation.annual_budget),
        "joint_committees": [committee.pk for committee in organisation.joint_committees.all()],
    }
    for prefix in ("memberships", "recognitions"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True, preferred_language="en"))


def test_an_organisation_changed_in_the_admin_gets_a_history_row(admin_client):
    organisation = OrganisationFactory(city="Bruxelles")

    response = admin_client.post(
        f"/admin/accounts/organisation/{organisation.pk}/change/", change_form(organisation, city="Ixelles")
    )

    assert response.status_code == 302
    (entry,) = HistoryEntry.objects.for_file(organisation)
    assert entry.parameters["changes"] == {"city": {"before": "Bruxelles", "after": "Ixelles"}}


def test_a_locked_enterprise_number_cannot_be_changed_in_the_admin(admin_client):
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(identity_locked_at=timezone.now())
    number = organisation.enterprise_number

    admin_client.post(
        f"/admin/accounts/organisation/{organisation.pk}/change/",
        change_form(organisation, enterprise_number="0403170701"),
    )

    organisation.refresh_from_db()
    assert organisation.enterprise_number == number


def test_a_recognition_added_in_the_admin_gets_a_history_row(admin_client):
    from tests.factories import authority

    organisation = OrganisationFactory()
    data = change_form(organisation) | {
        "recognitions-TOTAL_FORMS": "1",
        "recognitions-0-authority": authority("cocof").pk,
        "recognitions-0-reference": "COCOF/ADMIN-1",
        "recognitions-0-valid_from": "2025-01-01",
        "recognitions-0-under_agreement": "on",
    }

    response = admin_client.post(f"/admin/accounts/organisation/{organisation.pk}/change/", data)

    assert response.status_code == 302
    (entry,) = HistoryEntry.objects.for_file(organisation)
    assert (entry.transition, entry.parameters["reference"]) == ("recognition_added", "COCOF/ADMIN-1")


def test_an_organisation_added_in_the_admin_gets_a_history_row_for_its_creation_and_its_recognition(
    admin_client,
):
    from tests.factories import authority

    template = OrganisationFactory()
    data = change_form(template) | {
        "enterprise_number": "0403170701",
        "recognitions-TOTAL_FORMS": "1",
        "recognitions-0-authority": authority("cocof").pk,
        "recognitions-0-reference": "COCOF/ADMIN-2",
        "recognitions-0-valid_from": "2025-01-01",
        "recognitions-0-under_agreement": "on",
    }

    response = admin_client.post("/admin/accounts/organisation/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(enterprise_number="0403170701")
    assert [entry.transition for entry in HistoryEntry.objects.for_file(organisation)] == [
        "organisation_created",
        "recognition_added",
    ]


def test_the_admin_links_a_recognition_s_evidence_through_the_download_that_checks_who_asks(
    admin_client, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from tests.factories import RecognitionFactory

    settings.MEDIA_ROOT = tmp_path
    recognition = RecognitionFactory()
    recognition.evidence.save("agrement.pdf", ContentFile(b"%PDF-1.4 evidence"))
    organisation = recognition.organisation

    page = admin_client.get(f"/admin/accounts/organisation/{organisation.pk}/change/").content.decode()

    url = f"/organisations/{organisation.pk}/recognitions/{recognition.pk}/evidence/"
    assert f'href="{url}"' in page
    assert b"".join(admin_client.get(url).streaming_content) == b"%PDF-1.4 evidence"
