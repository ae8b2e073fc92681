"""The eligibility engine (SPEC §2): each common rule, the report, the snapshot and routing."""

import gettext as gettext_module
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from accounts.models import JointCommittee, LegalForm, Municipality, Organisation, RecognitionAuthority
from core.eligibility import (
    NotEligible,
    Status,
    administrations_for,
    check_eligibility,
    require_eligibility,
    snapshot_outcomes,
)
from core.exceptions import InvalidInput
from tests.factories import OrganisationFactory, RecognitionFactory, authority

pytestmark = pytest.mark.django_db

COMMON_RULES = {"legal_form", "brussels_seat", "enterprise_number", "recognition", "joint_committee"}


def eligible_organisation(**fields) -> Organisation:
    """A Brussels ASBL with a verified Cocof recognition valid today and joint committee 319."""
    return RecognitionFactory(
        **{f"organisation__{name}": value for name, value in fields.items()}
    ).organisation


def outcome_of(organisation: Organisation, rule: str, on_date: date | None = None):
    report = check_eligibility(organisation, "grants", on_date)
    return next(outcome for outcome in report.outcomes if outcome.rule == rule)


def status_of(organisation: Organisation, rule: str, on_date: date | None = None) -> Status:
    return outcome_of(organisation, rule, on_date).status


def compiled_catalogue_translates(language: str, msgid: str) -> bool:
    """Whether the project's compiled catalogue for `language` has a translation of `msgid`."""
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo"
    if not path.exists():
        return False
    with path.open("rb") as mo_file:
        return gettext_module.GNUTranslations(mo_file).gettext(msgid) != msgid


# -- legal form -----------------------------------------------------------------------------------


def test_a_non_profit_association_passes_the_legal_form_rule():
    assert status_of(eligible_organisation(), "legal_form") == Status.PASS


def test_a_company_fails_the_legal_form_rule():
    organisation = eligible_organisation(legal_form=LegalForm.COMPANY)

    assert status_of(organisation, "legal_form") == Status.FAIL


# -- Brussels seat --------------------------------------------------------------------------------


@pytest.mark.parametrize("postal_code", ["1000", "1030", "1210"])
def test_a_seat_in_a_brussels_municipality_passes_the_seat_rule(postal_code):
    organisation = eligible_organisation(postal_code=postal_code)

    assert status_of(organisation, "brussels_seat") == Status.PASS


@pytest.mark.parametrize("postal_code", ["4000", "1300"])
def test_a_seat_outside_the_region_fails_the_seat_rule(postal_code):
    organisation = eligible_organisation(postal_code=postal_code)

    assert status_of(organisation, "brussels_seat") == Status.FAIL


def test_a_municipality_taken_out_of_the_region_by_an_administrator_fails_the_seat_rule():
    organisation = eligible_organisation(postal_code="1000")
    Municipality.objects.filter(postal_codes__code="1000").update(in_region=False)

    assert status_of(organisation, "brussels_seat") == Status.FAIL


def test_the_seat_message_names_the_municipality_and_its_nis_code():
    organisation = eligible_organisation(postal_code="1030")

    with translation.override("fr"):
        message = outcome_of(organisation, "brussels_seat").message

    assert "Schaerbeek" in message
    assert "21015" in message


# -- enterprise number ----------------------------------------------------------------------------


def test_a_valid_enterprise_number_passes_the_enterprise_number_rule():
    assert status_of(eligible_organisation(), "enterprise_number") == Status.PASS


def test_an_enterprise_number_failing_the_mod_97_check_fails_the_enterprise_number_rule():
    organisation = eligible_organisation()
    Organisation.objects.filter(pk=organisation.pk).update(enterprise_number="0403170702")
    organisation.refresh_from_db()

    assert status_of(organisation, "enterprise_number") == Status.FAIL


# -- recognition ----------------------------------------------------------------------------------


def test_a_verified_recognition_valid_on_the_date_passes_the_recognition_rule():
    assert status_of(eligible_organisation(), "recognition") == Status.PASS


def test_an_unverified_recognition_is_to_check():
    organisation = RecognitionFactory(unverified=True).organisation

    assert status_of(organisation, "recognition") == Status.TO_CHECK


def test_a_verified_recognition_passes_even_when_another_one_awaits_verification():
    organisation = RecognitionFactory(authority=authority("cocof")).organisation
    RecognitionFactory(organisation=organisation, authority=authority("cocom"), unverified=True)

    assert status_of(organisation, "recognition") == Status.PASS


def test_an_expired_recognition_fails_the_recognition_rule():
    organisation = RecognitionFactory(expired=True).organisation

    assert status_of(organisation, "recognition") == Status.FAIL


def test_a_recognition_not_yet_valid_on_the_date_fails_the_recognition_rule():
    recognition = RecognitionFactory()

    assert status_of(recognition.organisation, "recognition", recognition.valid_from - timedelta(days=1)) == (
        Status.FAIL
    )


def test_a_recognition_outside_the_agreement_fails_the_recognition_rule():
    organisation = RecognitionFactory(under_agreement=False).organisation

    assert status_of(organisation, "recognition") == Status.FAIL


def test_a_recognition_by_an_authority_out_of_scope_fails_the_recognition_rule():
    organisation = RecognitionFactory().organisation
    RecognitionAuthority.objects.filter(code="cocof").update(in_scope=False)

    assert status_of(organisation, "recognition") == Status.FAIL


def test_an_organisation_without_any_recognition_fails_the_recognition_rule():
    assert status_of(OrganisationFactory(), "recognition") == Status.FAIL


def test_a_recognition_without_an_end_date_counts_as_open_ended():
    organisation = RecognitionFactory(valid_until=None).organisation

    assert status_of(organisation, "recognition", date.today() + timedelta(days=3650)) == Status.PASS


# -- joint committee ------------------------------------------------------------------------------


def test_an_eligible_joint_committee_passes_the_joint_committee_rule():
    organisation = eligible_organisation(joint_committees=["319"])

    assert status_of(organisation, "joint_committee") == Status.PASS


def test_only_non_eligible_joint_committees_fail_the_joint_committee_rule():
    organisation = eligible_organisation(joint_committees=["200"])

    assert status_of(organisation, "joint_committee") == Status.FAIL


def test_no_joint_committee_declared_is_to_check():
    organisation = eligible_organisation(joint_committees=[])

    assert status_of(organisation, "joint_committee") == Status.TO_CHECK


def test_an_administrator_can_make_a_joint_committee_eligible():
    organisation = eligible_organisation(joint_committees=["200"])
    JointCommittee.objects.filter(number="200").update(eligible=True)

    assert status_of(organisation, "joint_committee") == Status.PASS


# -- the report -----------------------------------------------------------------------------------


def test_the_report_lists_every_common_rule():
    report = check_eligibility(eligible_organisation(), "grants")

    assert {outcome.rule for outcome in report.outcomes} >= COMMON_RULES


def test_an_organisation_whose_rules_pass_or_are_to_check_is_eligible():
    organisation = RecognitionFactory(unverified=True, organisation__joint_committees=[]).organisation

    report = check_eligibility(organisation, "grants")

    assert {outcome.status for outcome in report.outcomes} == {Status.PASS, Status.TO_CHECK}
    assert report.eligible is True


def test_a_single_failing_rule_makes_the_organisation_ineligible():
    report = check_eligibility(eligible_organisation(postal_code="4000"), "grants")

    assert [outcome.rule for outcome in report.failing] == ["brussels_seat"]
    assert report.eligible is False


def test_an_unknown_scheme_is_refused():
    with pytest.raises(InvalidInput) as refusal:
        check_eligibility(eligible_organisation(), "no-such-scheme")

    assert "scheme" in refusal.value.errors


# -- languages ------------------------------------------------------------------------------------


def test_rule_labels_and_messages_are_lazy_translations():
    report = check_eligibility(eligible_organisation(), "grants")

    assert all(isinstance(rule.label, Promise) for rule, _verdict in report.verdicts)
    assert all(isinstance(verdict.message, Promise) for _rule, verdict in report.verdicts)


def test_rule_labels_follow_the_active_language_once_catalogues_are_compiled():
    if not compiled_catalogue_translates("nl", "Seat in the Brussels-Capital Region"):
        pytest.skip("the Dutch catalogue does not translate the rule labels yet")
    report = check_eligibility(eligible_organisation(), "grants")

    with translation.override("fr"):
        french = {outcome.rule: outcome.label for outcome in report.outcomes}
    with translation.override("nl"):
        dutch = {outcome.rule: outcome.label for outcome in report.outcomes}

    assert french["brussels_seat"] != dutch["brussels_seat"]


def test_a_message_is_rendered_in_the_language_active_when_it_is_read():
    report = check_eligibility(eligible_organisation(postal_code="1000"), "grants")

    with translation.override("fr"):
        french = next(o.message for o in report.outcomes if o.rule == "brussels_seat")
    with translation.override("nl"):
        dutch = next(o.message for o in report.outcomes if o.rule == "brussels_seat")

    assert "Bruxelles" in french
    assert "Brussel " in dutch
    assert french != dutch


# -- at submission --------------------------------------------------------------------------------


def test_require_eligibility_lists_exactly_the_failing_rules():
    organisation = eligible_organisation(legal_form=LegalForm.COMPANY, postal_code="4000")

    with pytest.raises(NotEligible) as refusal:
        require_eligibility(organisation, "grants")

    assert [error["code"] for error in refusal.value.errors["eligibility"]] == ["legal_form", "brussels_seat"]
    assert refusal.value.code == "not_eligible"


def test_require_eligibility_returns_the_snapshot_when_no_rule_fails():
    snapshot = require_eligibility(eligible_organisation(), "grants")

    assert snapshot["eligible"] is True
    assert snapshot["scheme"] == "grants"


def test_the_snapshot_holds_every_rule_with_its_label_and_message_in_each_language():
    organisation = eligible_organisation()
    report = check_eligibility(organisation, "grants")

    snapshot = report.snapshot()

    assert [item["rule"] for item in snapshot["outcomes"]] == [outcome.rule for outcome in report.outcomes]
    for item in snapshot["outcomes"]:
        assert set(item["label"]) == {"fr", "nl", "en"}
        assert set(item["message"]) == {"fr", "nl", "en"}
        assert all(item["message"].values())


def test_the_snapshot_keeps_each_language_whatever_language_the_check_ran_in():
    organisation = eligible_organisation(postal_code="1000")

    with translation.override("fr"):
        snapshot = check_eligibility(organisation, "grants").snapshot()

    seat = next(item for item in snapshot["outcomes"] if item["rule"] == "brussels_seat")
    assert "Bruxelles" in seat["message"]["fr"]
    assert "Brussel " in seat["message"]["nl"]


def test_snapshot_outcomes_renders_the_snapshot_in_the_active_language():
    snapshot = check_eligibility(eligible_organisation(postal_code="1000"), "grants").snapshot()
    stored = {item["rule"]: item for item in snapshot["outcomes"]}

    with translation.override("nl"):
        outcomes = snapshot_outcomes(snapshot)

    assert [outcome.message for outcome in outcomes] == [stored[o.rule]["message"]["nl"] for o in outcomes]
    assert [outcome.label for outcome in outcomes] == [stored[o.rule]["label"]["nl"] for o in outcomes]


def test_snapshot_outcomes_of_no_snapshot_is_empty():
    assert snapshot_outcomes(None) == []


# -- routing --------------------------------------------------------------------------------------


def test_a_cocof_recognition_routes_to_cocof():
    organisation = RecognitionFactory(authority=authority("cocof")).organisation

    assert [a.code for a in administrations_for(organisation)] == ["cocof"]


@pytest.mark.parametrize("authority_code", ["cocom", "region"])
def test_a_cocom_or_region_recognition_routes_to_iriscare(authority_code):
    organisation = RecognitionFactory(authority=authority(authority_code)).organisation

    assert [a.code for a in administrations_for(organisation)] == ["iriscare"]


def test_recognitions_by_cocof_and_cocom_route_to_both_administrations():
    organisation = RecognitionFactory(authority=authority("cocof")).organisation
    RecognitionFactory(organisation=organisation, authority=authority("cocom"))

    assert sorted(a.code for a in administrations_for(organisation)) == ["cocof", "iriscare"]


def test_an_expired_recognition_routes_nowhere():
    organisation = RecognitionFactory(expired=True).organisation

    assert list(administrations_for(organisation)) == []
