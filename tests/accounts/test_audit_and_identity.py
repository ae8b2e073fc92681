"""Every change to an organisation leaves a history row (SPEC §9 "Audit"), and its enterprise number
is stable once it has submitted a file (SPEC §9 "Stable identity")."""

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import signals
from accounts.services import (
    add_recognition,
    correct_enterprise_number,
    update_organisation,
    verify_recognition,
)
from core.models import HistoryEntry, Notification
from tests.factories import (
    OrganisationFactory,
    RecognitionFactory,
    applicant,
    authority,
    enterprise_number,
    joint_committee,
    staff,
)
from tests.grants.factories import GrantApplicationFactory, act

pytestmark = pytest.mark.django_db


def history_of(organisation) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.for_file(organisation))


def locked_organisation():
    organisation = RecognitionFactory().organisation
    organisation.identity_locked_at = timezone.now()
    organisation.save(update_fields=["identity_locked_at"])
    return organisation


# -- history of organisation changes ----------------------------------------------------------------


def test_changing_an_organisation_records_each_field_before_and_after():
    organisation = OrganisationFactory(headcount_fte=Decimal("10.00"), city="Bruxelles")
    admin = applicant(organisation)

    update_organisation(
        acting_user=admin,
        organisation=organisation,
        data={"headcount_fte": Decimal("12.50"), "city": "Ixelles"},
    )

    (entry,) = history_of(organisation)
    assert (entry.transition, entry.actor, entry.parameters["fields"]) == (
        "organisation_changed",
        admin,
        ["city", "headcount_fte"],
    )
    assert entry.parameters["changes"]["city"] == {"before": "Bruxelles", "after": "Ixelles"}


def test_a_changed_contact_address_is_recorded_without_its_values():
    organisation = OrganisationFactory(email="old@asbl.example")

    update_organisation(
        acting_user=applicant(organisation), organisation=organisation, data={"email": "new@asbl.example"}
    )

    assert history_of(organisation)[0].parameters["changes"] == {"email": {}}


def test_changed_joint_committees_are_recorded_by_number():
    organisation = OrganisationFactory(joint_committees=["319"])

    update_organisation(
        acting_user=applicant(organisation),
        organisation=organisation,
        data={},
        joint_committees=[joint_committee("319"), joint_committee("332")],
    )

    assert history_of(organisation)[0].parameters["changes"]["joint_committees"] == {
        "before": ["319"],
        "after": ["319", "332"],
    }


def test_saving_an_organisation_unchanged_writes_no_history():
    organisation = OrganisationFactory(city="Bruxelles")

    update_organisation(
        acting_user=applicant(organisation), organisation=organisation, data={"city": "Bruxelles"}
    )

    assert history_of(organisation) == []


def test_a_change_whose_history_cannot_be_written_is_rolled_back():
    organisation = OrganisationFactory(city="Bruxelles")
    admin = applicant(organisation)

    def fail(**kwargs):
        raise RuntimeError("history unavailable")

    signals.organisation_changed.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(RuntimeError):
            update_organisation(acting_user=admin, organisation=organisation, data={"city": "Ixelles"})
    finally:
        signals.organisation_changed.disconnect(dispatch_uid="test.fail")

    organisation.refresh_from_db()
    assert organisation.city == "Bruxelles"


def test_adding_a_recognition_is_recorded_on_the_organisation():
    organisation = OrganisationFactory()
    admin = applicant(organisation)

    recognition = add_recognition(
        acting_user=admin,
        organisation=organisation,
        data={
            "authority": authority("cocof"),
            "reference": "COCOF/2024-1",
            "valid_from": timezone.localdate(),
            "under_agreement": True,
        },
    )

    (entry,) = history_of(organisation)
    assert (entry.transition, entry.actor, entry.parameters) == (
        "recognition_added",
        admin,
        {"recognition": recognition.pk, "authority": "cocof", "reference": "COCOF/2024-1"},
    )


def test_verifying_a_recognition_is_recorded_on_the_organisation():
    recognition = RecognitionFactory(unverified=True)
    officer = staff("officer", "cocof")

    verify_recognition(acting_user=officer, recognition=recognition)

    (entry,) = history_of(recognition.organisation)
    assert (entry.transition, entry.actor) == ("recognition_verified", officer)


# -- verification --------------------------------------------------------------------------------------


def test_an_officer_of_the_other_administration_may_not_verify_a_recognition():
    recognition = RecognitionFactory(unverified=True)

    with pytest.raises(PermissionDenied):
        verify_recognition(acting_user=staff("officer", "iriscare"), recognition=recognition)


def test_a_recognition_already_verified_is_not_verified_again():
    recognition = RecognitionFactory()

    with pytest.raises(ValidationError):
        verify_recognition(acting_user=staff("officer", "cocof"), recognition=recognition)


def test_members_are_told_in_their_language_when_a_recognition_is_verified(
    django_capture_on_commit_callbacks,
):
    recognition = RecognitionFactory(unverified=True, reference="COCOF/2024-7")
    dutch = applicant(recognition.organisation, preferred_language="nl")

    with django_capture_on_commit_callbacks(execute=True):
        verify_recognition(acting_user=staff("officer", "cocof"), recognition=recognition)

    notification = Notification.objects.get(recipient=dutch)
    assert "COCOF/2024-7" in notification.subject
    assert notification.subject.startswith("Erkenning geverifieerd")
    assert [message.to for message in mail.outbox] == [[dutch.email]]


# -- stable identity ----------------------------------------------------------------------------------


def test_a_first_submission_locks_the_lead_organisations_identity():
    application = GrantApplicationFactory()

    act(application, "submit", applicant(application.lead_organisation))

    application.lead_organisation.refresh_from_db()
    assert application.lead_organisation.identity_locked_at is not None


def test_an_organisation_without_a_submitted_file_keeps_its_identity_open():
    application = GrantApplicationFactory()

    application.lead_organisation.refresh_from_db()
    assert application.lead_organisation.identity_locked_at is None


def test_members_may_not_change_a_locked_enterprise_number():
    organisation = locked_organisation()
    number = organisation.enterprise_number

    with pytest.raises(ValidationError) as refusal:
        update_organisation(
            acting_user=applicant(organisation),
            organisation=organisation,
            data={"enterprise_number": enterprise_number(990_001)},
        )

    assert list(refusal.value.message_dict) == ["enterprise_number"]
    organisation.refresh_from_db()
    assert organisation.enterprise_number == number


def test_members_still_change_the_other_fields_of_a_locked_organisation():
    organisation = locked_organisation()

    update_organisation(
        acting_user=applicant(organisation),
        organisation=organisation,
        data={"enterprise_number": organisation.enterprise_number, "city": "Ixelles"},
    )

    organisation.refresh_from_db()
    assert organisation.city == "Ixelles"


def test_an_officer_corrects_a_locked_enterprise_number_and_the_reason_is_recorded():
    organisation = locked_organisation()
    before = organisation.enterprise_number
    officer = staff("officer", "iriscare")

    correct_enterprise_number(
        acting_user=officer,
        organisation=organisation,
        enterprise_number=enterprise_number(990_002),
        reason="Typo at registration, checked in the KBO.",
    )

    organisation.refresh_from_db()
    (entry,) = history_of(organisation)
    assert organisation.enterprise_number == enterprise_number(990_002)
    assert (entry.transition, entry.actor, entry.comment, entry.parameters) == (
        "enterprise_number_corrected",
        officer,
        "Typo at registration, checked in the KBO.",
        {"before": before, "after": enterprise_number(990_002)},
    )


def test_a_correction_is_normalised_from_the_printed_form():
    organisation = locked_organisation()
    number = enterprise_number(990_003)

    correct_enterprise_number(
        acting_user=staff("officer"),
        organisation=organisation,
        enterprise_number=f"BE {number[:4]}.{number[4:7]}.{number[7:]}",
        reason="Wrong number",
    )

    organisation.refresh_from_db()
    assert organisation.enterprise_number == number


@pytest.mark.parametrize("role", ["finance"])
def test_finance_staff_may_not_correct_an_enterprise_number(role):
    organisation = locked_organisation()

    with pytest.raises(PermissionDenied):
        correct_enterprise_number(
            acting_user=staff(role),
            organisation=organisation,
            enterprise_number=enterprise_number(990_004),
            reason="Wrong number",
        )


def test_the_organisations_own_admin_may_not_correct_its_enterprise_number():
    organisation = locked_organisation()

    with pytest.raises(PermissionDenied):
        correct_enterprise_number(
            acting_user=applicant(organisation),
            organisation=organisation,
            enterprise_number=enterprise_number(990_005),
            reason="Wrong number",
        )


def test_a_correction_without_a_reason_is_refused_on_the_reason():
    organisation = locked_organisation()

    with pytest.raises(ValidationError) as refusal:
        correct_enterprise_number(
            acting_user=staff("officer"),
            organisation=organisation,
            enterprise_number=enterprise_number(990_006),
            reason=" \u200b ",
        )

    assert list(refusal.value.message_dict) == ["reason"]


def test_a_correction_failing_the_mod_97_check_is_refused():
    organisation = locked_organisation()
    valid = enterprise_number(990_007)
    wrong_check_digits = valid[:8] + f"{(int(valid[8:]) + 1) % 100:02d}"

    with pytest.raises(ValidationError) as refusal:
        correct_enterprise_number(
            acting_user=staff("officer"),
            organisation=organisation,
            enterprise_number=wrong_check_digits,
            reason="x",
        )

    assert list(refusal.value.message_dict) == ["enterprise_number"]


def test_a_correction_to_another_organisations_number_is_refused():
    organisation = locked_organisation()
    other = OrganisationFactory()

    with pytest.raises(ValidationError) as refusal:
        correct_enterprise_number(
            acting_user=staff("officer"),
            organisation=organisation,
            enterprise_number=other.enterprise_number,
            reason="Merged",
        )

    assert [error.code for error in refusal.value.error_dict["enterprise_number"]] == ["unique"]


def test_the_migration_locks_organisations_leading_a_submitted_application():
    application = GrantApplicationFactory()
    act(application, "submit", applicant(application.lead_organisation))
    lead = application.lead_organisation
    lead.__class__.objects.filter(pk=lead.pk).update(identity_locked_at=None)
    draft_lead = GrantApplicationFactory().lead_organisation
    migration = import_module("grants.migrations.0004_lock_identities_of_submitting_organisations")

    migration.lock_identities(apps, None)

    lead.refresh_from_db()
    draft_lead.refresh_from_db()
    application.refresh_from_db()
    assert (lead.identity_locked_at, draft_lead.identity_locked_at) == (application.submitted_at, None)


def test_creating_an_organisation_records_who_created_it():
    from accounts.services import create_organisation
    from tests.accounts.test_services import organisation_data
    from tests.factories import UserFactory

    creator = UserFactory()

    organisation = create_organisation(acting_user=creator, data=organisation_data())

    (entry,) = history_of(organisation)
    assert (entry.transition, entry.actor, entry.parameters["enterprise_number"]) == (
        "organisation_created",
        creator,
        organisation.enterprise_number,
    )
