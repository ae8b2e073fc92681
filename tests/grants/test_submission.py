"""Submitting a grant application: completeness, eligibility, routing, reference and envelope."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import LegalForm
from core.documents import attach_document
from core.eligibility import NotEligible
from core.exceptions import InvalidInput
from core.models import DocumentType, HistoryEntry
from grants.models import GrantApplication
from grants.workflow import State
from tests.factories import OrganisationFactory, RecognitionFactory, administration, applicant
from tests.grants.factories import (
    CallFactory,
    GrantApplicationFactory,
    StaffCast,
    act,
    advance_to,
    iriscare_application,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def submit(application):
    return act(application, "submit", applicant(application.lead_organisation))


def refusal_of(application) -> InvalidInput:
    with pytest.raises(InvalidInput) as refusal:
        submit(application)
    return refusal.value


def mut_reference(number: int) -> str:
    return f"MUT-{timezone.localdate().year}-{number:05d}"


# -- what the application must hold -----------------------------------------------------------------


def test_submission_is_refused_once_the_call_has_closed():
    application = GrantApplicationFactory(call=CallFactory(closed=True))

    assert "call" in refusal_of(application).errors


def test_submission_is_refused_before_the_call_opens():
    call = CallFactory(opens_on=date.today() + timedelta(days=1), closes_on=date.today() + timedelta(days=30))

    assert "call" in refusal_of(GrantApplicationFactory(call=call)).errors


def test_submission_is_refused_without_a_partner_organisation():
    application = GrantApplicationFactory(partners=[])

    assert "partners" in refusal_of(application).errors


def test_submission_is_refused_when_the_lead_is_named_as_its_own_partner():
    lead = RecognitionFactory().organisation
    application = GrantApplicationFactory(lead_organisation=lead, partners=[lead])

    assert "partners" in refusal_of(application).errors


def test_submission_is_refused_when_the_end_date_is_before_the_start_date():
    application = GrantApplicationFactory(
        start_date=date.today() + timedelta(days=60), end_date=date.today() + timedelta(days=59)
    )

    assert "end_date" in refusal_of(application).errors


def test_submission_is_refused_when_the_request_exceeds_the_calls_maximum():
    application = GrantApplicationFactory(
        call=CallFactory(max_amount_per_application=Decimal("30000.00")), requested_amount=Decimal("30000.01")
    )

    assert "requested_amount" in refusal_of(application).errors


def test_submission_is_refused_when_the_request_exceeds_the_budget_total():
    application = GrantApplicationFactory(requested_amount=Decimal("50000.01"))  # the budget is 50 000 €

    assert "requested_amount" in refusal_of(application).errors


def test_a_request_equal_to_the_budget_total_and_the_maximum_is_accepted():
    application = GrantApplicationFactory(
        call=CallFactory(max_amount_per_application=Decimal("50000.00")), requested_amount=Decimal("50000.00")
    )

    assert submit(application).state == State.SUBMITTED


def test_submission_is_refused_without_any_budget_line():
    application = GrantApplicationFactory(budget=False)

    assert "budget_lines" in refusal_of(application).errors


def test_submission_is_refused_while_a_required_document_is_missing():
    application = GrantApplicationFactory(call=CallFactory(required_documents=["statutes"]))

    errors = refusal_of(application).errors

    assert str(DocumentType.STATUTES.label) in errors["documents"][0]["message"]


def test_submission_passes_once_the_required_statutes_are_attached():
    application = GrantApplicationFactory(call=CallFactory(required_documents=["statutes"]))
    member = applicant(application.lead_organisation)
    attach_document(
        file=application, document_type=DocumentType.STATUTES, upload=pdf_upload(), acting_user=member
    )

    assert act(application, "submit", member).state == State.SUBMITTED


def test_an_ineligible_lead_is_refused_with_the_failing_rule():
    company = RecognitionFactory(organisation__legal_form=LegalForm.COMPANY).organisation
    application = GrantApplicationFactory(lead_organisation=company)

    with pytest.raises(NotEligible) as refusal:
        submit(application)

    assert [error["code"] for error in refusal.value.errors["eligibility"]] == ["legal_form"]


def test_submission_is_refused_when_the_call_has_no_envelope_for_the_administration():
    application = GrantApplicationFactory(call=CallFactory(envelopes={"iriscare": Decimal("100000")}))

    assert "administration" in refusal_of(application).errors


@pytest.mark.parametrize(
    "refused",
    [
        lambda: GrantApplicationFactory(call=CallFactory(closed=True)),
        lambda: GrantApplicationFactory(
            lead_organisation=RecognitionFactory(organisation__legal_form=LegalForm.COMPANY).organisation
        ),
        lambda: GrantApplicationFactory(call=CallFactory(envelopes={"iriscare": Decimal("100000")})),
    ],
    ids=["closed call", "ineligible lead", "no envelope"],
)
def test_a_refused_submission_saves_nothing(refused):
    application = refused()

    with pytest.raises(InvalidInput):
        submit(application)

    stored = GrantApplication.objects.get(pk=application.pk)
    assert (stored.state, stored.reference, stored.submitted_at, stored.administration_id) == (
        State.DRAFT,
        None,
        None,
        None,
    )
    assert stored.eligibility_snapshot is None
    assert not HistoryEntry.objects.for_file(application).exists()


def test_a_refused_submission_gives_its_reference_number_back():
    with pytest.raises(InvalidInput):
        submit(GrantApplicationFactory(call=CallFactory(envelopes={"iriscare": Decimal("100000")})))

    assert submit(GrantApplicationFactory()).reference == mut_reference(1)


# -- what a successful submission records ------------------------------------------------------------


def test_submissions_get_consecutive_mut_references_of_the_year():
    first = submit(GrantApplicationFactory())
    second = submit(GrantApplicationFactory())

    assert (first.reference, second.reference) == (mut_reference(1), mut_reference(2))


def test_a_submission_is_routed_to_cocof_for_a_cocof_recognition():
    assert submit(GrantApplicationFactory()).administration == administration("cocof")


def test_a_submission_is_routed_to_iriscare_for_a_cocom_recognition():
    assert submit(iriscare_application()).administration == administration("iriscare")


def test_a_submission_keeps_the_eligibility_snapshot():
    submitted = submit(GrantApplicationFactory())

    snapshot = GrantApplication.objects.get(pk=submitted.pk).eligibility_snapshot
    assert (snapshot["scheme"], snapshot["eligible"]) == ("grants", True)
    assert {outcome["rule"] for outcome in snapshot["outcomes"]} >= {
        "legal_form",
        "brussels_seat",
        "enterprise_number",
        "recognition",
        "joint_committee",
    }


def test_a_submission_records_when_it_was_submitted():
    submitted = submit(GrantApplicationFactory())

    assert GrantApplication.objects.get(pk=submitted.pk).submitted_at is not None


def test_a_partner_need_not_be_eligible_itself():
    company = OrganisationFactory(legal_form=LegalForm.COMPANY)

    assert submit(GrantApplicationFactory(partners=[company])).state == State.SUBMITTED


# -- answering an information request -----------------------------------------------------------------


def test_the_requested_information_can_be_sent_after_the_call_has_closed():
    call = CallFactory()
    application = GrantApplicationFactory(call=call)
    cast = StaffCast(application)
    application = advance_to(application, State.SCREENING, cast)
    application = act(application, "request_information", cast.officer, comment="Send the statutes.")
    call.closes_on = call.opens_on
    call.save()

    assert act(application, "resubmit", cast.applicant).state == State.SCREENING


def test_the_requested_information_is_refused_while_the_application_is_incomplete():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    application = advance_to(application, State.SCREENING, cast)
    application = act(application, "request_information", cast.officer, comment="Fix the budget.")
    application.budget_lines.all().delete()

    with pytest.raises(InvalidInput) as refusal:
        act(application, "resubmit", cast.applicant)

    assert "budget_lines" in refusal.value.errors
