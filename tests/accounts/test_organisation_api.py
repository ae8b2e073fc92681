"""/api/v1/organisations/: the locked enterprise number, its correction by an officer, the history."""

import pytest
from django.utils import timezone

from accounts.models import Organisation
from tests.factories import RecognitionFactory, applicant, enterprise_number, staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


@pytest.fixture
def organisation():
    return RecognitionFactory().organisation


@pytest.fixture
def locked(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(identity_locked_at=timezone.now())
    organisation.refresh_from_db()
    return organisation


def signed_in(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_a_member_changing_a_locked_enterprise_number_gets_400_on_that_field(api_client, locked):
    response = signed_in(api_client, applicant(locked)).patch(
        f"{URL}{locked.pk}/", {"enterprise_number": enterprise_number(980_001)}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["enterprise_number"]
    assert (
        "Ask an officer of the administration to correct it."
        in (response.json()["errors"]["enterprise_number"][0]["message"])
    )


def test_a_member_resending_the_same_locked_number_may_change_the_rest(api_client, locked):
    response = signed_in(api_client, applicant(locked)).patch(
        f"{URL}{locked.pk}/",
        {"enterprise_number": locked.enterprise_number, "city": "Ixelles"},
        format="json",
    )

    assert (response.status_code, response.json()["city"]) == (200, "Ixelles")


def test_an_officer_corrects_the_enterprise_number_through_the_api(api_client, locked):
    response = signed_in(api_client, staff("officer")).post(
        f"{URL}{locked.pk}/correct-enterprise-number/",
        {"enterprise_number": enterprise_number(980_002), "reason": "Typo"},
        format="json",
    )

    assert (response.status_code, response.json()["enterprise_number"]) == (200, enterprise_number(980_002))


def test_a_correction_without_a_reason_answers_400_on_reason(api_client, locked):
    response = signed_in(api_client, staff("officer")).post(
        f"{URL}{locked.pk}/correct-enterprise-number/",
        {"enterprise_number": enterprise_number(980_003), "reason": "\u200b"},
        format="json",
    )

    assert (response.status_code, list(response.json()["errors"])) == (400, ["reason"])


def test_a_correction_to_a_number_failing_mod_97_answers_400_on_the_number(api_client, locked):
    response = signed_in(api_client, staff("officer")).post(
        f"{URL}{locked.pk}/correct-enterprise-number/",
        {"enterprise_number": "0403170702", "reason": "Typo"},
        format="json",
    )

    assert (response.status_code, list(response.json()["errors"])) == (400, ["enterprise_number"])


@pytest.mark.parametrize("who", ["admin", "finance"])
def test_members_and_finance_staff_correcting_the_number_get_403(who, api_client, locked):
    user = applicant(locked) if who == "admin" else staff("finance")

    response = signed_in(api_client, user).post(
        f"{URL}{locked.pk}/correct-enterprise-number/",
        {"enterprise_number": enterprise_number(980_004), "reason": "Typo"},
        format="json",
    )

    assert response.status_code == 403


def test_an_outsider_correcting_the_number_gets_404(api_client, locked):
    response = signed_in(api_client, applicant()).post(
        f"{URL}{locked.pk}/correct-enterprise-number/",
        {"enterprise_number": enterprise_number(980_005), "reason": "Typo"},
        format="json",
    )

    assert response.status_code == 404


def test_the_history_lists_the_changes_and_the_correction(api_client, locked):
    signed_in(api_client, applicant(locked)).patch(f"{URL}{locked.pk}/", {"city": "Ixelles"}, format="json")
    signed_in(api_client, staff("officer")).post(
        f"{URL}{locked.pk}/correct-enterprise-number/",
        {"enterprise_number": enterprise_number(980_006), "reason": "Typo"},
        format="json",
    )

    history = api_client.get(f"{URL}{locked.pk}/history/").json()

    assert [(row["transition"], row["comment"]) for row in history] == [
        ("organisation_changed", ""),
        ("enterprise_number_corrected", "Typo"),
    ]


def test_an_outsider_reading_the_history_gets_404(api_client, organisation):
    assert signed_in(api_client, applicant()).get(f"{URL}{organisation.pk}/history/").status_code == 404


# -- verifying a recognition ------------------------------------------------------------------------


def verify_url(recognition) -> str:
    return f"{URL}{recognition.organisation_id}/recognitions/{recognition.pk}/verify/"


def test_an_officer_of_the_competent_administration_verifies_through_the_api(api_client):
    recognition = RecognitionFactory(unverified=True)

    response = signed_in(api_client, staff("officer", "cocof")).post(verify_url(recognition))

    assert response.status_code == 200
    assert response.json()["verified_at"] is not None


def test_an_officer_of_the_other_administration_verifying_gets_403(api_client):
    recognition = RecognitionFactory(unverified=True)

    response = signed_in(api_client, staff("officer", "iriscare")).post(verify_url(recognition))

    assert response.status_code == 403


def test_verifying_a_recognition_twice_answers_400(api_client):
    recognition = RecognitionFactory()

    response = signed_in(api_client, staff("officer", "cocof")).post(verify_url(recognition))

    assert response.status_code == 400


def test_verifying_another_organisations_recognition_through_mine_answers_404(api_client, organisation):
    theirs = RecognitionFactory(unverified=True)

    response = signed_in(api_client, staff("officer", "cocof")).post(
        f"{URL}{organisation.pk}/recognitions/{theirs.pk}/verify/"
    )

    assert response.status_code == 404
