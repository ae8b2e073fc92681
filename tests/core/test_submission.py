"""First submission of a file (core/submission.py): eligibility, routing and a gapless reference."""

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import LegalForm
from core.eligibility import NotEligible
from core.exceptions import InvalidInput
from core.models import HistoryEntry, ReferenceSequence
from core.submission import route_to_administration
from core.workflow import perform_transition
from tests.factories import (
    OrganisationFactory,
    RecognitionFactory,
    SampleFileFactory,
    administration,
    applicant,
    authority,
)

pytestmark = pytest.mark.django_db


class SubmissionCrashed(Exception):
    """Something failing after the reference was allocated, in the same transaction."""


def submit(file):
    return perform_transition(file=file, name="submit", acting_user=applicant(file.organisation), data={})


def organisation_recognised_by(*authority_codes):
    organisation = OrganisationFactory()
    for code in authority_codes:
        RecognitionFactory(organisation=organisation, authority=authority(code))
    return organisation


def expected_reference(number: int) -> str:
    return f"TST-{timezone.localdate().year}-{number:05d}"


def test_an_ineligible_organisation_is_refused_with_the_failing_rules():
    file = SampleFileFactory(
        organisation=RecognitionFactory(organisation__legal_form=LegalForm.COMPANY).organisation
    )

    with pytest.raises(NotEligible) as refusal:
        submit(file)

    assert [error["code"] for error in refusal.value.errors["eligibility"]] == ["legal_form"]


def test_a_refused_submission_saves_nothing():
    file = SampleFileFactory(organisation=RecognitionFactory(organisation__postal_code="4000").organisation)

    with pytest.raises(NotEligible):
        submit(file)

    file.refresh_from_db()
    assert file.state == "draft"
    assert file.reference is None
    assert file.eligibility_snapshot is None
    assert not HistoryEntry.objects.for_file(file).exists()
    assert not ReferenceSequence.objects.filter(prefix="TST").exists()


def test_a_file_is_routed_automatically_when_one_administration_applies():
    file = SampleFileFactory(organisation=organisation_recognised_by("cocom"))

    submitted = submit(file)

    assert submitted.administration == administration("iriscare")


def test_a_submission_is_refused_when_two_administrations_apply_and_none_is_chosen():
    file = SampleFileFactory(organisation=organisation_recognised_by("cocof", "cocom"))

    with pytest.raises(InvalidInput) as refusal:
        submit(file)

    assert "administration" in refusal.value.errors
    file.refresh_from_db()
    assert file.state == "draft"


def test_the_applicants_choice_among_competent_administrations_is_kept():
    organisation = organisation_recognised_by("cocof", "cocom")

    assert route_to_administration(organisation, administration("iriscare")) == administration("iriscare")


def test_a_submission_snapshots_the_eligibility_outcome():
    submitted = submit(SampleFileFactory())

    assert submitted.eligibility_snapshot["eligible"] is True
    assert submitted.submitted_at is not None


def test_the_reference_has_the_scheme_prefix_the_year_and_five_digits():
    submitted = submit(SampleFileFactory())

    assert submitted.reference == expected_reference(1)


def test_references_increase_by_one_per_submission():
    first = submit(SampleFileFactory())
    second = submit(SampleFileFactory())

    assert [first.reference, second.reference] == [expected_reference(1), expected_reference(2)]


def test_a_rolled_back_submission_gives_its_number_back():
    first = submit(SampleFileFactory())
    crashed = SampleFileFactory()
    with pytest.raises(SubmissionCrashed), transaction.atomic():
        allocated = submit(crashed)
        assert allocated.reference == expected_reference(2)
        raise SubmissionCrashed

    retried = submit(crashed)

    assert first.reference == expected_reference(1)
    assert retried.reference == expected_reference(2)
