"""Organisation pages: who may read, edit and add recognitions, and how bad input is shown."""

import pytest

from accounts.models import Membership, Organisation
from tests.factories import STAFF_ROLES, OrganisationFactory, authority

pytestmark = pytest.mark.django_db


def organisation_form(**overrides):
    data = {
        "name_fr": "Maison des Solidarités",
        "name_nl": "Huis van de Solidariteit",
        "legal_form": "asbl",
        "enterprise_number": "0403170701",
        "street": "Rue Haute 1",
        "postal_code": "1000",
        "city": "Bruxelles",
        "iban": "BE71 0961 2345 6769",
        "bic": "GKCCBEBB",
        "email": "contact@maison.example",
        "preferred_language": "fr",
        "headcount_fte": "12.50",
        "annual_budget": "750000.00",
    }
    data.update(overrides)
    return data


# -- reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "member", *STAFF_ROLES])
def test_members_and_staff_see_the_organisation_page(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"/organisations/{organisation.pk}/")

    assert response.status_code == 200
    assert organisation.name_fr in response.content.decode()


@pytest.mark.parametrize("role", ["other_applicant", "mentor", "lender"])
def test_an_outsider_gets_404_on_the_organisation_page(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"/organisations/{organisation.pk}/")

    assert response.status_code == 404


def test_an_unknown_organisation_answers_404(person, client_for):
    response = client_for(person("officer")).get("/organisations/999999/")

    assert response.status_code == 404


def test_my_organisations_lists_only_mine(person, client_for, organisation):
    other = OrganisationFactory()

    response = client_for(person("member")).get("/organisations/")

    assert organisation.name_fr in response.content.decode()
    assert other.name_fr not in response.content.decode()


# -- editing ----------------------------------------------------------------------------------------


def test_the_admin_opens_the_edit_page_filled_in(person, client_for, organisation):
    response = client_for(person("admin")).get(f"/organisations/{organisation.pk}/edit/")

    assert response.status_code == 200
    assert f'value="{organisation.enterprise_number}"' in response.content.decode()


@pytest.mark.parametrize("role", ["member", *STAFF_ROLES])
def test_a_reader_who_is_not_its_admin_gets_403_on_the_edit_page(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"/organisations/{organisation.pk}/edit/")

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["other_applicant", "mentor", "lender"])
def test_an_outsider_gets_404_on_the_edit_page(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"/organisations/{organisation.pk}/edit/")

    assert response.status_code == 404


def test_a_member_posting_the_edit_form_changes_nothing(person, client_for, organisation):
    response = client_for(person("member")).post(
        f"/organisations/{organisation.pk}/edit/",
        organisation_form(enterprise_number=organisation.enterprise_number),
    )

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name_fr != "Maison des Solidarités"


def test_the_admin_saves_the_organisation_and_returns_to_its_page(person, client_for, organisation):
    response = client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/edit/",
        organisation_form(enterprise_number=organisation.enterprise_number, city="Brussel"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    organisation.refresh_from_db()
    assert organisation.city == "Brussel"


# -- creating ---------------------------------------------------------------------------------------


def test_a_signed_in_user_registers_an_organisation_and_becomes_its_admin(person, client_for):
    user = person("other_applicant")

    response = client_for(user).post("/organisations/new/", organisation_form())

    created = Organisation.objects.get(enterprise_number="0403170701")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{created.pk}/"
    assert Membership.objects.get(user=user, organisation=created).role == Membership.Role.ADMIN


def test_an_enterprise_number_written_with_dots_as_the_help_text_shows_is_accepted(person, client_for):
    response = client_for(person("other_applicant")).post(
        "/organisations/new/", organisation_form(enterprise_number="0403.170.701")
    )

    assert response.status_code == 302
    assert Organisation.objects.filter(enterprise_number="0403170701").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprise_number", "0403170702", "Enter a valid enterprise number"),
        ("iban", "BE00 0000 0000 0000", "Enter a valid IBAN"),
        ("bic", "NOTABIC!", "Enter a valid BIC"),
        ("postal_code", "10000", "at most 4 characters"),
        ("postal_code", "1O00", "A Belgian postal code has 4 digits."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("annual_budget", "-5", "greater than or equal to 0"),
        ("headcount_fte", "lots", "Enter a number."),
    ],
)
def test_bad_organisation_input_is_shown_next_to_the_field_and_the_input_is_kept(
    field, value, message, person, client_for
):
    response = client_for(person("other_applicant")).post(
        "/organisations/new/", organisation_form(**{field: value})
    )

    page = response.content.decode()
    assert response.status_code == 200
    errors = page.split(f'id="id_{field}_errors"', 1)
    assert len(errors) == 2, f"no error list next to {field}"
    assert message in errors[1].split("</ul>", 1)[0]
    assert 'value="Maison des Solidarités"' in page
    assert not Organisation.objects.filter(name_fr="Maison des Solidarités").exists()


def test_an_organisation_without_any_name_is_refused_on_the_french_name(person, client_for):
    response = client_for(person("other_applicant")).post(
        "/organisations/new/", organisation_form(name_fr="", name_nl="")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Give the organisation&#x27;s name in French, in Dutch or in both."
        in page.split('id="id_name_fr_errors"')[1]
    )
    assert 'value="Rue Haute 1"' in page


def test_an_enterprise_number_already_registered_is_refused_on_that_field(person, client_for):
    existing = OrganisationFactory()

    response = client_for(person("other_applicant")).post(
        "/organisations/new/", organisation_form(enterprise_number=existing.enterprise_number)
    )

    assert response.status_code == 200
    assert 'id="id_enterprise_number_errors"' in response.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"legal_form": "<script>"},
        {"preferred_language": "xx"},
        {"joint_committees": ["not-a-pk"]},
        {"joint_committees": ["999999"]},
        {"annual_budget": "1e400"},
        {"headcount_fte": "NaN"},
        {"name_fr": "x" * 500},
        {"enterprise_number": "\x00"},
    ],
)
def test_odd_organisation_input_never_causes_a_server_error(overrides, person, client_for):
    response = client_for(person("other_applicant")).post(
        "/organisations/new/", organisation_form(**overrides)
    )

    assert response.status_code == 200
    assert b"errors" in response.content


def test_a_blank_organisation_form_is_refused_without_a_server_error(person, client_for):
    blank = dict.fromkeys(organisation_form(), "")

    response = client_for(person("other_applicant")).post("/organisations/new/", blank)

    assert response.status_code == 200
    assert 'id="id_enterprise_number_errors"' in response.content.decode()


# -- recognitions -----------------------------------------------------------------------------------


def test_the_admin_opens_the_recognition_form(person, client_for, organisation):
    response = client_for(person("admin")).get(f"/organisations/{organisation.pk}/recognitions/new/")

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["member", "officer"])
def test_a_reader_who_is_not_its_admin_gets_403_on_the_recognition_form(
    role, person, client_for, organisation
):
    response = client_for(person(role)).get(f"/organisations/{organisation.pk}/recognitions/new/")

    assert response.status_code == 403


def test_an_outsider_gets_404_on_the_recognition_form(person, client_for, organisation):
    response = client_for(person("other_applicant")).get(
        f"/organisations/{organisation.pk}/recognitions/new/"
    )

    assert response.status_code == 404


def test_a_recognition_ending_before_it_starts_is_refused_next_to_valid_until(
    person, client_for, organisation
):
    response = client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/recognitions/new/",
        {
            "authority": authority("cocom").pk,
            "reference": "GGC-1",
            "valid_from": "2025-06-01",
            "valid_until": "2025-01-01",
            "under_agreement": "on",
        },
    )

    assert response.status_code == 200
    assert (
        "The end of validity cannot be before its start."
        in response.content.decode().split('id="id_valid_until_errors"')[1]
    )


@pytest.mark.parametrize(
    "role", ["member", "other_applicant", "mentor", "admin", "finance", "iriscare_officer"]
)
def test_only_officers_of_the_competent_administration_may_verify_a_recognition(
    role, person, client_for, organisation
):
    recognition = organisation.recognitions.get()
    recognition.verified_at = None
    recognition.save()

    response = client_for(person(role)).post(
        f"/organisations/{organisation.pk}/recognitions/{recognition.pk}/verify/"
    )

    assert response.status_code in {403, 404}
    recognition.refresh_from_db()
    assert recognition.verified_at is None


def test_an_officer_verifies_a_recognition(person, client_for, organisation):
    recognition = organisation.recognitions.get()
    recognition.verified_at = None
    recognition.save()
    officer = person("officer")

    response = client_for(officer).post(
        f"/organisations/{organisation.pk}/recognitions/{recognition.pk}/verify/"
    )

    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.verified_by == officer


# -- eligibility check ------------------------------------------------------------------------------


def test_an_applicant_runs_the_eligibility_check_and_sees_every_rule(person, client_for, organisation):
    response = client_for(person("member")).get(
        "/eligibility/", {"organisation": organisation.pk, "scheme": "grants"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    for rule in ("legal_form", "brussels_seat", "enterprise_number", "recognition", "joint_committee"):
        assert f'data-rule="{rule}"' in page


def test_an_applicant_cannot_run_the_eligibility_check_on_another_organisation(person, client_for):
    other = OrganisationFactory(name_fr="Association voisine")

    response = client_for(person("member")).get(
        "/eligibility/", {"organisation": other.pk, "scheme": "grants"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="eligibility-rules"' not in page
    assert "Association voisine" not in page


# -- history ----------------------------------------------------------------------------------------


def lock(organisation) -> None:
    from django.utils import timezone

    Organisation.objects.filter(pk=organisation.pk).update(identity_locked_at=timezone.now())
    organisation.refresh_from_db()


@pytest.mark.parametrize("role", ["member", "officer"])
def test_members_and_staff_see_what_changed_in_the_organisations_history(
    role, person, client_for, organisation
):
    client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/edit/",
        organisation_form(enterprise_number=organisation.enterprise_number, city="Brussel"),
    )

    page = client_for(person(role)).get(f"/organisations/{organisation.pk}/").content.decode()
    history = page.split('id="history"')[1]

    assert 'data-event="organisation_changed"' in history
    assert "Municipality: Bruxelles → Brussel" in history


def test_the_history_names_a_changed_contact_address_without_showing_it(person, client_for, organisation):
    client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/edit/",
        organisation_form(enterprise_number=organisation.enterprise_number, email="private@person.example"),
    )

    history = client_for(person("member")).get(f"/organisations/{organisation.pk}/").content.decode()

    assert "Contact e-mail" in history.split('id="history"')[1]
    assert "private@person.example" not in history.split('id="history"')[1]


# -- stable identity --------------------------------------------------------------------------------


def test_the_enterprise_number_of_a_locked_organisation_is_disabled_on_the_edit_form(
    person, client_for, organisation
):
    lock(organisation)

    page = client_for(person("admin")).get(f"/organisations/{organisation.pk}/edit/").content.decode()
    field = page.split('name="enterprise_number"')[1].split(">")[0]

    assert "disabled" in field
    assert "ask an officer of the administration" in page


def test_a_locked_enterprise_number_posted_by_a_member_is_ignored(person, client_for, organisation):
    lock(organisation)
    number = organisation.enterprise_number

    client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/edit/", organisation_form(enterprise_number="0403170701")
    )

    organisation.refresh_from_db()
    assert organisation.enterprise_number == number


def test_an_officer_is_offered_the_enterprise_number_correction(person, client_for, organisation):
    page = client_for(person("officer")).get(f"/organisations/{organisation.pk}/").content.decode()

    assert 'id="enterprise-number-correction"' in page


@pytest.mark.parametrize("role", ["admin", "finance"])
def test_members_and_finance_staff_are_not_offered_the_correction(role, person, client_for, organisation):
    page = client_for(person(role)).get(f"/organisations/{organisation.pk}/").content.decode()

    assert 'id="enterprise-number-correction"' not in page


def test_an_officer_corrects_the_enterprise_number_and_it_shows_in_the_history(
    person, client_for, organisation
):
    lock(organisation)
    officer = client_for(person("officer"))

    response = officer.post(
        f"/organisations/{organisation.pk}/enterprise-number/",
        {"enterprise_number": "0403.170.701", "reason": "Typo at registration"},
    )

    organisation.refresh_from_db()
    assert (response.status_code, organisation.enterprise_number) == (302, "0403170701")
    history = officer.get(f"/organisations/{organisation.pk}/").content.decode().split('id="history"')[1]
    assert "Enterprise number corrected" in history
    assert "Typo at registration" in history


def test_a_correction_without_a_reason_is_refused_next_to_the_reason(person, client_for, organisation):
    response = client_for(person("officer")).post(
        f"/organisations/{organisation.pk}/enterprise-number/",
        {"enterprise_number": "0403170701", "reason": ""},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode().split('id="id_reason_errors"')[1]


def test_a_member_posting_a_correction_gets_403(person, client_for, organisation):
    response = client_for(person("admin")).post(
        f"/organisations/{organisation.pk}/enterprise-number/",
        {"enterprise_number": "0403170701", "reason": "x"},
    )

    assert response.status_code == 403
