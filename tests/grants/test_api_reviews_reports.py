"""Reviews, reports and the PDF letters of an application, through the API."""

import io

import pytest
from pypdf import PdfReader

from grants.models import Review
from grants.workflow import State
from tests.factories import OrganisationFactory, applicant, staff
from tests.grants.factories import (
    Cast,
    GrantApplicationFactory,
    advance_to,
    declared_free_of_conflict,
    review,
)

pytestmark = pytest.mark.django_db

SCORES = {"relevance": 4, "feasibility": 3, "partnership": 5, "budget": 4, "public_effect": 4}


def url(application, suffix="") -> str:
    return f"/api/v1/grants/applications/{application.pk}/{suffix}"


def under_review():
    cast = Cast(application := GrantApplicationFactory())
    return advance_to(application, State.UNDER_REVIEW, cast), cast


def in_progress():
    cast = Cast(application := GrantApplicationFactory())
    return advance_to(application, State.IN_PROGRESS, cast), cast


def pdf_text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


# -- reviews ------------------------------------------------------------------------------------------


def test_an_officer_records_a_review_with_scores_and_comments(client_for):
    application, cast = under_review()
    declared_free_of_conflict(application, cast.reviewer)

    response = client_for(cast.reviewer).post(
        url(application, "reviews/"),
        {**SCORES, "relevance_comment": "Real pooling.", "recommendation": "award"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["reviewer"], response.json()["total"]) == (cast.reviewer.email, 20)


def test_a_score_above_five_is_refused_with_a_field_error(client_for):
    application, cast = under_review()
    declared_free_of_conflict(application, cast.reviewer)

    response = client_for(cast.reviewer).post(
        url(application, "reviews/"), {**SCORES, "budget": 6, "recommendation": "award"}, format="json"
    )

    assert response.status_code == 400
    assert "budget" in response.json()["errors"]
    assert not Review.objects.exists()


def test_an_applicant_cannot_review_its_own_application(client_for):
    application, cast = under_review()

    response = client_for(cast.applicant).post(
        url(application, "reviews/"), {**SCORES, "recommendation": "award"}, format="json"
    )

    assert response.status_code == 403


def test_reviews_are_recorded_only_under_review(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.SCREENING, cast)

    response = client_for(cast.reviewer).post(
        url(application, "reviews/"), {**SCORES, "recommendation": "award"}, format="json"
    )

    assert response.status_code == 409


def test_staff_read_the_reviews_with_averages_per_criterion_and_overall(client_for):
    application, cast = under_review()
    review(application, cast.reviewer, relevance=5, feasibility=3, partnership=4, budget=2, public_effect=4)
    review(
        application, staff("officer"), relevance=4, feasibility=4, partnership=4, budget=3, public_effect=5
    )

    response = client_for(cast.approver).get(url(application, "reviews/"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["average"] == {
        "relevance": 4.5,
        "feasibility": 3.5,
        "partnership": 4.0,
        "budget": 2.5,
        "public_effect": 4.5,
        "overall": 3.8,
    }
    assert body["reviews"][0]["reviewer"] == cast.reviewer.email


def test_without_reviews_the_averages_are_empty(client_for):
    application, cast = under_review()

    response = client_for(cast.officer).get(url(application, "reviews/"))

    assert response.json()["count"] == 0
    assert response.json()["average"]["overall"] is None


def test_applicants_cannot_read_the_reviews(client_for):
    application, cast = under_review()
    review(application, cast.reviewer)

    response = client_for(cast.applicant).get(url(application, "reviews/"))

    assert response.status_code == 403


def test_a_partner_member_cannot_read_the_reviews(client_for):
    partner = OrganisationFactory()
    cast = Cast(application := GrantApplicationFactory(partners=[partner]))
    application = advance_to(application, State.UNDER_REVIEW, cast)

    response = client_for(applicant(partner)).get(url(application, "reviews/"))

    assert response.status_code == 403


# -- reports ------------------------------------------------------------------------------------------


def test_the_lead_files_a_final_report_with_justified_expenses(client_for):
    application, cast = in_progress()
    line = application.budget_lines.first()

    response = client_for(cast.applicant).post(
        url(application, "reports/"),
        {
            "kind": "final",
            "activities": "Done.",
            "expenses": [{"budget_line": line.pk, "amount": "19000.00"}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["expenses"] == [{"budget_line": line.pk, "amount": "19000.00"}]


def test_the_reports_are_listed_with_their_expenses(client_for):
    application, cast = in_progress()
    line = application.budget_lines.first()
    client = client_for(cast.applicant)
    client.post(url(application, "reports/"), {"kind": "interim", "activities": "Halfway."}, format="json")
    client.post(
        url(application, "reports/"),
        {"kind": "final", "activities": "Done.", "expenses": [{"budget_line": line.pk, "amount": "100.00"}]},
        format="json",
    )

    response = client_for(cast.officer).get(url(application, "reports/"))

    assert [(r["kind"], len(r["expenses"])) for r in response.json()] == [("interim", 0), ("final", 1)]


def test_an_expense_on_another_applications_budget_line_is_refused(client_for):
    application, cast = in_progress()
    foreign_line = GrantApplicationFactory().budget_lines.first()

    response = client_for(cast.applicant).post(
        url(application, "reports/"),
        {
            "kind": "final",
            "activities": "Done.",
            "expenses": [{"budget_line": foreign_line.pk, "amount": "1.00"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "expenses" in response.json()["errors"]


def test_the_same_budget_line_cannot_be_justified_twice_in_one_report(client_for):
    application, cast = in_progress()
    line = application.budget_lines.first()
    twice = [{"budget_line": line.pk, "amount": "1.00"}, {"budget_line": line.pk, "amount": "2.00"}]

    response = client_for(cast.applicant).post(
        url(application, "reports/"),
        {"kind": "final", "activities": "Done.", "expenses": twice},
        format="json",
    )

    assert response.status_code == 400
    assert "expenses" in response.json()["errors"]


def test_reports_are_filed_only_while_the_grant_is_in_progress(client_for):
    application, cast = under_review()

    response = client_for(cast.applicant).post(
        url(application, "reports/"), {"kind": "interim", "activities": "Early."}, format="json"
    )

    assert response.status_code == 409


def test_an_officer_cannot_file_a_report(client_for):
    application, cast = in_progress()

    response = client_for(cast.officer).post(
        url(application, "reports/"), {"kind": "interim", "activities": "Halfway."}, format="json"
    )

    assert response.status_code == 403


# -- letters ------------------------------------------------------------------------------------------


def test_the_receipt_of_a_submitted_application_is_a_pdf_with_its_reference(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.SUBMITTED, cast)

    response = client_for(cast.applicant).get(url(application, "receipt/"))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert application.reference in pdf_text(response)


def test_a_draft_has_no_receipt_yet(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant(application.lead_organisation)).get(url(application, "receipt/"))

    assert response.status_code == 409
    assert "not been submitted" in response.json()["detail"]


def test_the_award_letter_is_a_pdf_once_the_grant_is_awarded(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.APPROVED, cast)

    response = client_for(cast.applicant).get(url(application, "award-letter/"))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert application.reference in pdf_text(response)


def test_there_is_no_award_letter_before_the_award(client_for):
    application, cast = under_review()

    response = client_for(cast.applicant).get(url(application, "award-letter/"))

    assert response.status_code == 409
    assert "not been awarded" in response.json()["detail"]


def test_another_applicant_cannot_download_the_receipt(client_for):
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    response = client_for(applicant()).get(url(application, "receipt/"))

    assert response.status_code == 404
