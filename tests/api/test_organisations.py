"""/api/v1/organisations/: scope, creation, validation, editing, recognitions, eligibility, members."""

import pytest

from accounts.models import Membership, Organisation, Recognition
from core.eligibility import COMMON_RULES, get_scheme
from tests.api.errors import field_messages
from tests.factories import APPLICANT_ROLES, STAFF_ROLES, OrganisationFactory, applicant

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


def organisation_data(**overrides):
    data = {
        "name_fr": "Maison des Solidarités",
        "name_nl": "Huis van de Solidariteit",
        "legal_form": "asbl",
        "enterprise_number": "BE 0403.170.701",
        "street": "Rue Haute 1",
        "postal_code": "1000",
        "city": "Bruxelles",
        "iban": "BE71 0961 2345 6769",
        "bic": "gkcc bebb",
        "email": "contact@maison.example",
        "preferred_language": "fr",
        "headcount_fte": "12.50",
        "annual_budget": "750000.00",
        "joint_committees": ["319", "332"],
    }
    data.update(overrides)
    return data


def ids_in(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# -- scope ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", APPLICANT_ROLES)
def test_applicants_list_only_their_own_organisations(role, person, client_for, organisation):
    user = person(role)
    others = OrganisationFactory.create_batch(2)

    response = client_for(user).get(URL)

    assert response.status_code == 200
    assert ids_in(response) == set(user.memberships.values_list("organisation_id", flat=True))
    assert not ids_in(response) & {o.pk for o in others}


@pytest.mark.parametrize("role", [*STAFF_ROLES, "superuser"])
def test_staff_and_administrators_list_every_organisation(role, person, client_for, organisation):
    others = OrganisationFactory.create_batch(2)

    response = client_for(person(role)).get(URL)

    assert response.status_code == 200
    assert ids_in(response) == {organisation.pk, *(o.pk for o in others)}


@pytest.mark.parametrize("role", ["admin", "member", *STAFF_ROLES])
def test_members_and_staff_read_the_organisation(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"{URL}{organisation.pk}/")

    assert response.status_code == 200
    assert response.json()["enterprise_number"] == organisation.enterprise_number


@pytest.mark.parametrize("role", ["other_applicant", "mentor", "lender"])
def test_another_organisations_file_answers_404_to_an_applicant(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"{URL}{organisation.pk}/")

    assert response.status_code == 404


def test_an_organisation_with_several_members_is_listed_once_for_staff(person, client_for, organisation):
    applicant(organisation, role="member")
    applicant(organisation, role="member")

    response = client_for(person("officer")).get(URL)

    assert [row["id"] for row in response.json()["results"]].count(organisation.pk) == 1


# -- creation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "member", "other_applicant", "mentor", "lender", "officer"])
def test_whoever_creates_an_organisation_becomes_its_administrator(role, person, client_for):
    user = person(role)

    response = client_for(user).post(URL, organisation_data(), format="json")

    assert response.status_code == 201, response.json()
    created = Organisation.objects.get(pk=response.json()["id"])
    assert Membership.objects.get(user=user, organisation=created).role == Membership.Role.ADMIN


def test_a_created_organisation_keeps_normalised_identifiers_and_its_joint_committees(person, client_for):
    response = client_for(person("other_applicant")).post(URL, organisation_data(), format="json")

    body = response.json()
    assert body["enterprise_number"] == "0403170701"
    assert body["iban"] == "BE71096123456769"
    assert body["bic"] == "GKCCBEBB"
    assert body["joint_committees"] == ["319", "332"]


def test_an_anonymous_caller_cannot_create_an_organisation(client_for):
    response = client_for(None).post(URL, organisation_data(), format="json")

    assert response.status_code == 401
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"enterprise_number": "0403.170.702"}, "enterprise_number"),
        ({"enterprise_number": "not a number"}, "enterprise_number"),
        ({"iban": "BE00 0000 0000 0000"}, "iban"),
        ({"bic": "NOTABIC!"}, "bic"),
        ({"name_fr": "", "name_nl": ""}, "name_fr"),
        ({"postal_code": "10000"}, "postal_code"),
        ({"postal_code": "1O00"}, "postal_code"),
        ({"legal_form": "cooperative"}, "legal_form"),
        ({"joint_committees": ["999"]}, "joint_committees"),
        ({"annual_budget": "-1"}, "annual_budget"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_organisation_input_answers_400_with_a_field_error(overrides, field, person, client_for):
    user = person("other_applicant")
    before = Organisation.objects.count()

    response = client_for(user).post(URL, organisation_data(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert field_messages(response, field)
    assert Organisation.objects.count() == before


def test_an_enterprise_number_already_registered_is_refused(person, client_for):
    existing = OrganisationFactory()

    response = client_for(person("other_applicant")).post(
        URL, organisation_data(enterprise_number=existing.enterprise_number), format="json"
    )

    assert response.status_code == 400
    assert "enterprise_number" in response.json()["errors"]


def test_the_mentor_and_lender_flags_cannot_be_set_by_their_creator(person, client_for):
    response = client_for(person("other_applicant")).post(
        URL, organisation_data(is_mentor=True, is_financial_institution=True), format="json"
    )

    created = Organisation.objects.get(pk=response.json()["id"])
    assert (created.is_mentor, created.is_financial_institution) == (False, False)


# -- editing ----------------------------------------------------------------------------------------


def test_the_organisations_admin_may_change_it(person, client_for, organisation):
    response = client_for(person("admin")).patch(
        f"{URL}{organisation.pk}/", {"city": "Brussel"}, format="json"
    )

    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.city == "Brussel"


@pytest.mark.parametrize("role", ["member", *STAFF_ROLES])
def test_a_reader_who_is_not_its_admin_may_not_change_the_organisation(
    role, person, client_for, organisation
):
    response = client_for(person(role)).patch(f"{URL}{organisation.pk}/", {"city": "Brussel"}, format="json")

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.city == "Bruxelles"


def test_a_member_sending_invalid_changes_gets_403_not_field_errors(person, client_for, organisation):
    response = client_for(person("member")).patch(f"{URL}{organisation.pk}/", {"iban": "BE00"}, format="json")

    assert response.status_code == 403
    assert "iban" not in response.json()


def test_a_member_replacing_the_whole_organisation_gets_403(person, client_for, organisation):
    response = client_for(person("member")).put(f"{URL}{organisation.pk}/", {}, format="json")

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["other_applicant", "mentor", "lender"])
def test_an_outsider_changing_the_organisation_gets_404(role, person, client_for, organisation):
    response = client_for(person(role)).patch(f"{URL}{organisation.pk}/", {"city": "Brussel"}, format="json")

    assert response.status_code == 404


def test_a_bad_iban_in_a_change_answers_400_on_that_field(person, client_for, organisation):
    response = client_for(person("admin")).patch(f"{URL}{organisation.pk}/", {"iban": "BE00"}, format="json")

    assert response.status_code == 400
    assert "iban" in response.json()["errors"]


def test_the_mentor_flag_is_read_only_for_the_admin(person, client_for, organisation):
    client_for(person("admin")).patch(f"{URL}{organisation.pk}/", {"is_mentor": True}, format="json")

    organisation.refresh_from_db()
    assert organisation.is_mentor is False


def test_clearing_both_names_in_a_change_is_refused_on_the_name(person, client_for, organisation):
    response = client_for(person("admin")).patch(
        f"{URL}{organisation.pk}/", {"name_fr": "", "name_nl": ""}, format="json"
    )

    assert response.status_code == 400
    assert "name_fr" in response.json()["errors"]


# -- recognitions -----------------------------------------------------------------------------------


def recognition_data(**overrides):
    data = {
        "authority": "cocom",
        "joint_committee": "318",
        "reference": "GGC-2024-118",
        "valid_from": "2024-01-01",
        "valid_until": "2026-12-31",
        "under_agreement": True,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ["admin", "member", "officer"])
def test_members_and_staff_list_the_recognitions(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"{URL}{organisation.pk}/recognitions/")

    assert response.status_code == 200
    assert [row["reference"] for row in response.json()] == list(
        organisation.recognitions.values_list("reference", flat=True)
    )


def test_an_outsider_listing_the_recognitions_gets_404(person, client_for, organisation):
    response = client_for(person("other_applicant")).get(f"{URL}{organisation.pk}/recognitions/")

    assert response.status_code == 404


def test_the_admin_adds_a_recognition_which_is_not_yet_verified(person, client_for, organisation):
    response = client_for(person("admin")).post(
        f"{URL}{organisation.pk}/recognitions/", recognition_data(), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["verified_at"] is None
    assert organisation.recognitions.filter(reference="GGC-2024-118", authority__code="cocom").exists()


def test_the_verification_date_cannot_be_sent_by_the_applicant(person, client_for, organisation):
    response = client_for(person("admin")).post(
        f"{URL}{organisation.pk}/recognitions/",
        recognition_data(verified_at="2024-01-01T00:00:00Z"),
        format="json",
    )

    assert Recognition.objects.get(pk=response.json()["id"]).verified_at is None


@pytest.mark.parametrize("role", ["member", "officer"])
def test_a_reader_who_is_not_its_admin_may_not_add_a_recognition(role, person, client_for, organisation):
    before = organisation.recognitions.count()

    response = client_for(person(role)).post(
        f"{URL}{organisation.pk}/recognitions/", recognition_data(), format="json"
    )

    assert response.status_code == 403
    assert organisation.recognitions.count() == before


def test_a_member_sending_an_incomplete_recognition_gets_403_not_field_errors(
    person, client_for, organisation
):
    response = client_for(person("member")).post(f"{URL}{organisation.pk}/recognitions/", {}, format="json")

    assert response.status_code == 403
    assert "reference" not in response.json()


def test_an_outsider_adding_a_recognition_gets_404(person, client_for, organisation):
    response = client_for(person("other_applicant")).post(
        f"{URL}{organisation.pk}/recognitions/", recognition_data(), format="json"
    )

    assert response.status_code == 404


def test_a_recognition_ending_before_it_starts_is_refused_on_valid_until(person, client_for, organisation):
    response = client_for(person("admin")).post(
        f"{URL}{organisation.pk}/recognitions/",
        recognition_data(valid_from="2025-06-01", valid_until="2025-01-01"),
        format="json",
    )

    assert response.status_code == 400
    assert "valid_until" in response.json()["errors"]


def test_a_recognition_by_an_unknown_authority_is_refused_on_authority(person, client_for, organisation):
    response = client_for(person("admin")).post(
        f"{URL}{organisation.pk}/recognitions/", recognition_data(authority="nasa"), format="json"
    )

    assert response.status_code == 400
    assert "authority" in response.json()["errors"]


# -- eligibility ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "member", "officer"])
def test_the_eligibility_check_lists_every_rule_of_the_scheme(role, person, client_for, organisation):
    response = client_for(person(role)).get(f"{URL}{organisation.pk}/eligibility/", {"scheme": "grants"})

    assert response.status_code == 200
    expected = [rule.code for rule in (*COMMON_RULES, *get_scheme("grants").rules)]
    assert [outcome["rule"] for outcome in response.json()["outcomes"]] == expected
    assert all(outcome["message"] for outcome in response.json()["outcomes"])


def test_an_eligible_organisation_passes_every_common_rule(person, client_for, organisation):
    response = client_for(person("admin")).get(f"{URL}{organisation.pk}/eligibility/", {"scheme": "grants"})

    statuses = {o["rule"]: o["status"] for o in response.json()["outcomes"]}
    assert all(statuses[rule.code] == "pass" for rule in COMMON_RULES)
    assert response.json()["eligible"] is True


def test_an_organisation_outside_brussels_fails_the_seat_rule(client_for):
    outside = OrganisationFactory(outside_brussels=True)
    user = applicant(outside)

    response = client_for(user).get(f"{URL}{outside.pk}/eligibility/", {"scheme": "grants"})

    statuses = {o["rule"]: o["status"] for o in response.json()["outcomes"]}
    assert statuses["brussels_seat"] == "fail"
    assert response.json()["eligible"] is False


@pytest.mark.parametrize("query", [{"scheme": "lottery"}, {}])
def test_an_unknown_or_missing_scheme_answers_400_on_scheme(query, person, client_for, organisation):
    response = client_for(person("admin")).get(f"{URL}{organisation.pk}/eligibility/", query)

    assert response.status_code == 400
    assert "scheme" in response.json()["errors"]


def test_a_bad_date_answers_400_on_date(person, client_for, organisation):
    response = client_for(person("admin")).get(
        f"{URL}{organisation.pk}/eligibility/", {"scheme": "grants", "date": "31/12/2025"}
    )

    assert response.status_code == 400
    assert "date" in response.json()["errors"]


def test_the_eligibility_check_runs_on_the_date_asked(person, client_for, organisation):
    response = client_for(person("admin")).get(
        f"{URL}{organisation.pk}/eligibility/", {"scheme": "grants", "date": "2001-01-01"}
    )

    assert response.json()["date"] == "2001-01-01"
    statuses = {o["rule"]: o["status"] for o in response.json()["outcomes"]}
    assert statuses["recognition"] == "fail"


def test_an_outsider_running_the_eligibility_check_gets_404(person, client_for, organisation):
    response = client_for(person("other_applicant")).get(
        f"{URL}{organisation.pk}/eligibility/", {"scheme": "grants"}
    )

    assert response.status_code == 404


# -- members ----------------------------------------------------------------------------------------


def test_the_members_endpoint_lists_each_member_with_role(person, client_for, organisation):
    admin = person("admin")
    member = person("member")

    response = client_for(member).get(f"{URL}{organisation.pk}/members/")

    assert response.status_code == 200
    assert {(row["email"], row["role"]) for row in response.json()} == {
        (admin.email, "admin"),
        (member.email, "member"),
    }


def test_an_outsider_listing_the_members_gets_404(person, client_for, organisation):
    response = client_for(person("other_applicant")).get(f"{URL}{organisation.pk}/members/")

    assert response.status_code == 404


def test_the_members_endpoint_is_read_only(person, client_for, organisation):
    response = client_for(person("admin")).post(
        f"{URL}{organisation.pk}/members/", {"email": "x@example.org"}, format="json"
    )

    assert response.status_code == 405


@pytest.mark.parametrize("body", ['"AAA"', "[1, 2]", "42"])
def test_a_body_that_is_not_an_object_is_refused_with_400(person, client_for, body):
    response = client_for(person("admin")).generic(
        "POST", "/api/v1/organisations/", body, content_type="application/json"
    )

    assert response.status_code == 400
