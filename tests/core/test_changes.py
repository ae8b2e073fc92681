"""What changed after a resubmission: field by field, line by line, document by document, shown to
the administration's staff on the file's page and under `changes/` in the API."""

from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from core.changes import latest_changes
from core.documents import attach_document
from core.models import DocumentType, SubmissionSnapshot
from grants.models import BudgetLine
from grants.states import State
from guarantees.states import State as GuaranteeState
from peer_mentoring.models import DeclarationLine
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import staff
from tests.grants.factories import GrantApplicationFactory, StaffCast, act, advance_to, pdf_upload
from tests.guarantees.factories import Cast as GuaranteeCast
from tests.guarantees.factories import GuaranteeRequestFactory
from tests.guarantees.factories import act as guarantee_act
from tests.guarantees.factories import advance_to as guarantee_advance_to
from tests.peer_mentoring.factories import act as mentoring_act
from tests.peer_mentoring.factories import agreement_in, declaration_in

pytestmark = pytest.mark.django_db


def information_requested():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    application = advance_to(application, State.SCREENING, cast)
    application = act(application, "request_information", cast.officer, comment="Clarify the budget.")
    return application, cast


def in_english(user) -> User:
    User.objects.filter(pk=user.pk).update(preferred_language="en")
    return User.objects.get(pk=user.pk)


def test_each_submission_is_recorded_once_in_its_transaction():
    application, cast = information_requested()
    act(application, "resubmit", cast.applicant)

    numbers = SubmissionSnapshot.objects.filter(object_id=application.pk).values_list("number", "transition")

    assert list(numbers) == [(1, "submit"), (2, "resubmit")]


def test_nothing_is_compared_after_the_first_submission():
    application, _cast = information_requested()

    assert latest_changes(application) is None


def test_an_officer_sees_a_field_changed_from_its_old_to_its_new_value():
    application, cast = information_requested()
    application.title = "Shared accounting and payroll office"
    application.save()

    act(application, "resubmit", cast.applicant)

    changes = latest_changes(application)
    assert [(c.name, c.before, c.after) for c in changes.fields] == [
        ("title", "Shared accounting office", "Shared accounting and payroll office")
    ]


def test_a_changed_budget_line_shows_as_the_old_line_removed_and_the_new_one_added():
    application, cast = information_requested()
    line = application.budget_lines.order_by("pk").first()
    BudgetLine.objects.filter(pk=line.pk).update(amount=line.amount + Decimal("500.00"))

    act(application, "resubmit", cast.applicant)

    rows = [(row.change, row.cells[-1]) for row in latest_changes(application).rows]
    assert rows == [("added", str(line.amount + Decimal("500.00"))), ("removed", str(line.amount))]


def test_a_document_added_and_one_replaced_are_listed_with_their_names():
    application, cast = information_requested()
    statutes = application_document(application, cast, "statuts-2024.pdf")
    application = act(application, "resubmit", cast.applicant)
    application = act(application, "request_information", cast.officer, comment="Send the signed statutes.")
    attach_document(
        file=application,
        document_type=DocumentType.STATUTES,
        upload=pdf_upload("statuts-signes.pdf"),
        acting_user=cast.applicant,
        replaces=statutes,
    )
    attach_document(
        file=application,
        document_type=DocumentType.BANK_ACCOUNT_CERTIFICATE,
        upload=pdf_upload("banque.pdf"),
        acting_user=cast.applicant,
    )

    act(application, "resubmit", cast.applicant)

    documents = {(d.change, d.name, d.previous_name) for d in latest_changes(application).documents}
    assert documents == {("replaced", "statuts-signes.pdf", "statuts-2024.pdf"), ("added", "banque.pdf", "")}


def application_document(application, cast, name):
    return attach_document(
        file=application,
        document_type=DocumentType.STATUTES,
        upload=pdf_upload(name),
        acting_user=cast.applicant,
    )


def test_a_guarantee_answered_after_an_information_request_shows_its_changed_amount():
    request = GuaranteeRequestFactory()
    cast = GuaranteeCast(request)
    request = guarantee_advance_to(request, GuaranteeState.SCREENING, cast)
    request = guarantee_act(request, "request_information", cast.officer, comment="A larger loan?")
    request.loan_amount = Decimal("120000.00")
    request.save()

    guarantee_act(request, "answer", cast.borrower)

    changes = latest_changes(request)
    assert [(c.name, c.before, c.after) for c in changes.fields] == [
        ("loan_amount", "100000.00", "120000.00")
    ]


def test_a_declaration_resubmitted_after_a_contest_lists_its_changed_lines():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.CONTESTED, agreement, cast)
    line = declaration.lines.order_by("pk").first()
    DeclarationLine.objects.filter(pk=line.pk).update(hours=line.hours - Decimal("0.5"))

    mentoring_act(declaration, "resubmit", cast.mentor)

    changes = [(row.change, row.cells[1]) for row in latest_changes(declaration).rows]
    assert changes == [("added", str(line.hours - Decimal("0.5"))), ("removed", str(line.hours))]


# -- where officers see it, and who does not -------------------------------------------------------------


def resubmitted_with_a_new_title():
    application, cast = information_requested()
    application.title = "Shared payroll office"
    application.save()
    return act(application, "resubmit", cast.applicant), cast


def test_the_file_page_shows_the_officer_what_changed():
    application, cast = resubmitted_with_a_new_title()
    client = Client()
    client.force_login(in_english(cast.officer))

    page = client.get(application.get_absolute_url()).content.decode()

    assert 'id="changes"' in page and "Shared payroll office" in page and "Shared accounting office" in page


def test_the_applicant_s_page_has_no_comparison():
    application, cast = resubmitted_with_a_new_title()
    client = Client()
    client.force_login(cast.applicant)

    assert 'id="changes"' not in client.get(application.get_absolute_url()).content.decode()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_gives_the_officer_the_changes_field_by_field():
    application, cast = resubmitted_with_a_new_title()

    answer = api(cast.officer).get(f"/api/v1/grants/applications/{application.pk}/changes/")

    assert answer.status_code == 200
    assert answer.json()["fields"] == [
        {
            "field": "title",
            "label": answer.json()["fields"][0]["label"],
            "before": "Shared accounting office",
            "after": "Shared payroll office",
        }
    ]


def test_the_applicant_may_not_read_the_comparison_in_the_api():
    application, cast = resubmitted_with_a_new_title()

    assert (
        api(cast.applicant).get(f"/api/v1/grants/applications/{application.pk}/changes/").status_code == 403
    )


def test_the_other_administration_does_not_find_the_file():
    application, _cast = resubmitted_with_a_new_title()

    answer = api(staff("officer", "iriscare")).get(f"/api/v1/grants/applications/{application.pk}/changes/")

    assert answer.status_code == 404


def test_before_a_resubmission_the_api_answers_an_empty_comparison():
    application, cast = information_requested()

    answer = api(cast.officer).get(f"/api/v1/grants/applications/{application.pk}/changes/")

    assert answer.json() == {"submission": 1, "since": None, "fields": [], "rows": [], "documents": []}
