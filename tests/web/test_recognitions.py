"""Recognitions on the web: the officers' list to verify, who is offered the button, who may
download the evidence, and uploaded documents never served from /media/."""

import importlib

import pytest
from django.urls import clear_url_caches

from core.models import Notification
from tests.factories import RecognitionFactory, applicant, person_with_role, staff
from tests.grants.factories import pdf_upload

pytestmark = pytest.mark.django_db

TO_VERIFY = "/recognitions/to-verify/"


def unverified(organisation=None, **fields):
    if organisation is not None:
        fields["organisation"] = organisation
    return RecognitionFactory(unverified=True, evidence=pdf_upload("agrement.pdf"), **fields)


def evidence_url(recognition) -> str:
    return f"/organisations/{recognition.organisation_id}/recognitions/{recognition.pk}/evidence/"


# -- the list to verify ------------------------------------------------------------------------------


def test_an_officer_sees_the_unverified_recognitions_of_the_authorities_routed_to_them(client_for):
    cocof = unverified(reference="COCOF/2024-1")
    cocom = unverified(reference="COCOM/2024-2", iriscare=True)

    page = client_for(staff("officer", "cocof", preferred_language="en")).get(TO_VERIFY).content.decode()

    assert f'data-recognition="{cocof.pk}"' in page
    assert f'data-recognition="{cocom.pk}"' not in page


def test_the_list_to_verify_leaves_out_verified_recognitions(client_for):
    verified = RecognitionFactory()

    page = client_for(staff("officer", "cocof", preferred_language="en")).get(TO_VERIFY).content.decode()

    assert f'data-recognition="{verified.pk}"' not in page


def test_the_list_to_verify_links_the_evidence_and_offers_the_button(client_for):
    recognition = unverified()

    page = client_for(staff("officer", "cocof", preferred_language="en")).get(TO_VERIFY).content.decode()

    assert evidence_url(recognition) in page
    assert f"/recognitions/{recognition.pk}/verify/" in page


@pytest.mark.parametrize("role", ["finance", "admin"])
def test_the_list_to_verify_is_refused_to_whoever_does_not_verify(role, client_for):
    user = person_with_role(role, RecognitionFactory().organisation, preferred_language="en")

    assert client_for(user).get(TO_VERIFY).status_code == 403


def test_officers_find_the_list_to_verify_in_their_navigation(client_for):
    page = client_for(staff("officer", "cocof", preferred_language="en")).get("/work-queue/").content.decode()

    assert f'href="{TO_VERIFY}"' in page


def test_finance_staff_are_not_offered_the_list_to_verify(client_for):
    page = client_for(staff("finance", "cocof", preferred_language="en")).get("/work-queue/").content.decode()

    assert f'href="{TO_VERIFY}"' not in page


def test_verifying_from_the_list_returns_to_the_list(client_for):
    recognition = unverified()

    response = client_for(staff("officer", "cocof", preferred_language="en")).post(
        f"/organisations/{recognition.organisation_id}/recognitions/{recognition.pk}/verify/",
        {"next": TO_VERIFY},
    )

    assert (response.status_code, response["Location"]) == (302, TO_VERIFY)


def test_verifying_never_redirects_to_another_site(client_for):
    recognition = unverified()

    response = client_for(staff("officer", "cocof", preferred_language="en")).post(
        f"/organisations/{recognition.organisation_id}/recognitions/{recognition.pk}/verify/",
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == f"/organisations/{recognition.organisation_id}/"


# -- the button on the organisation page ---------------------------------------------------------------


def test_an_officer_of_the_competent_administration_is_offered_the_verify_button(client_for):
    recognition = unverified()

    page = (
        client_for(staff("officer", "cocof", preferred_language="en"))
        .get(f"/organisations/{recognition.organisation_id}/")
        .content.decode()
    )

    assert f"/recognitions/{recognition.pk}/verify/" in page


def test_an_officer_of_the_other_administration_is_not_offered_the_verify_button(client_for):
    recognition = unverified()

    page = (
        client_for(staff("officer", "iriscare", preferred_language="en"))
        .get(f"/organisations/{recognition.organisation_id}/")
        .content.decode()
    )

    assert f"/recognitions/{recognition.pk}/verify/" not in page
    assert "not yet" in page


def test_members_get_an_inbox_message_when_their_recognition_is_verified(client_for):
    recognition = unverified()
    member = applicant(recognition.organisation, preferred_language="en")

    client_for(staff("officer", "cocof", preferred_language="en")).post(
        f"/organisations/{recognition.organisation_id}/recognitions/{recognition.pk}/verify/"
    )

    assert Notification.objects.get(recipient=member).subject == (
        f"Recognition verified: Cocof {recognition.reference}"
    )


# -- evidence downloads --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "member"])
def test_the_organisations_members_download_the_evidence(role, client_for):
    recognition = unverified()
    user = person_with_role(role, recognition.organisation)

    response = client_for(user).get(evidence_url(recognition))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_of_the_competent_administration_download_the_evidence(client_for):
    recognition = unverified()

    assert client_for(staff("finance", "cocof")).get(evidence_url(recognition)).status_code == 200


@pytest.mark.parametrize("role", ["other_applicant", "iriscare_officer", "anonymous"])
def test_the_evidence_is_hidden_from_everyone_else(role, client_for):
    recognition = unverified()
    user = person_with_role(role, recognition.organisation)

    response = client_for(user).get(evidence_url(recognition))

    assert response.status_code == 404 if user else response.status_code == 302


def test_the_evidence_of_another_organisations_recognition_is_not_reachable_through_mine(client_for):
    mine = unverified()
    theirs = unverified()
    member = applicant(mine.organisation)

    response = client_for(member).get(
        f"/organisations/{mine.organisation_id}/recognitions/{theirs.pk}/evidence/"
    )

    assert response.status_code == 404


def test_staff_of_the_other_administration_see_no_evidence_link(client_for):
    recognition = unverified()

    page = (
        client_for(staff("officer", "iriscare", preferred_language="en"))
        .get(f"/organisations/{recognition.organisation_id}/")
        .content.decode()
    )

    assert evidence_url(recognition) not in page


@pytest.fixture
def debug_project_urls(settings, tmp_path):
    """The project's own URLconf as `make run` builds it in development (DEBUG on, files on disk)."""
    settings.DEBUG = True
    settings.ROOT_URLCONF = "config.urls"
    settings.MEDIA_ROOT = tmp_path
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()
    yield tmp_path
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_uploaded_files_are_not_served_under_media_even_in_debug(debug_project_urls, client):
    stored = debug_project_urls / "recognitions" / "2026" / "agrement.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 evidence")

    response = client.get("/media/recognitions/2026/agrement.pdf")

    assert response.status_code == 404


def test_the_list_to_verify_costs_the_same_queries_for_many_recognitions(
    client_for, django_assert_max_num_queries
):
    officer = client_for(staff("officer", "cocof", preferred_language="en"))
    unverified()
    officer.get(TO_VERIFY)
    for _ in range(10):
        unverified()

    with django_assert_max_num_queries(6):
        response = officer.get(TO_VERIFY)

    assert response.content.decode().count("data-recognition=") == 11


def test_the_organisations_history_names_the_verified_recognition_by_its_authority(client_for):
    recognition = unverified(reference="COCOF/2024-9")
    member = applicant(recognition.organisation, preferred_language="en")
    client_for(staff("officer", "cocof")).post(
        f"/organisations/{recognition.organisation_id}/recognitions/{recognition.pk}/verify/"
    )

    page = client_for(member).get(f"/organisations/{recognition.organisation_id}/").content.decode()
    row = page.split('data-event="recognition_verified"')[1].split("</tr>")[0]

    assert "Recognition verified" in row
    assert "Cocof COCOF/2024-9" in row
