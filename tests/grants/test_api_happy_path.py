"""A grant from draft to closed, through the REST API only."""

import pytest
from django.utils import timezone

from core.audit import EVENT_LABELS
from tests.factories import OrganisationFactory, RecognitionFactory, applicant, staff
from tests.grants.factories import CallFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/grants/applications/"


def test_an_application_goes_from_draft_to_closed_through_the_api(client_for, pdf_file):
    call = CallFactory(required_documents=["statutes"])
    lead = RecognitionFactory().organisation
    partner = OrganisationFactory()
    as_applicant = client_for(applicant(lead))
    as_officer, as_reviewer = client_for(staff("officer")), client_for(staff("officer"))
    as_approver = client_for(staff("approver"))

    created = as_applicant.post(
        APPLICATIONS,
        {
            "call": call.pk,
            "lead_organisation": lead.pk,
            "partners": [partner.enterprise_number],
            "title": "Shared accounting office",
            "description": "Three associations pool an accountant.",
            "axes": ["support_functions"],
            "types": ["hr_support"],
            "logics": ["managerial"],
            "initiative_legal_form": "agreement",
            "start_date": "2030-01-01",
            "end_date": "2030-12-31",
            "requested_amount": "40000.00",
            "expected_effects": "Shorter waiting lists.",
            "budget_lines": [
                {
                    "category": "coordination_hours",
                    "description": "Coordination",
                    "hours": "400",
                    "hourly_cost": "50",
                },
                {"category": "staff", "description": "Shared accountant", "amount": "30000.00"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert (draft["state"], draft["reference"], draft["budget_total"]) == ("draft", None, "50000.00")
    assert [item["field"] for item in draft["completeness"]] == ["documents"]
    file_url = f"{APPLICATIONS}{draft['id']}/"

    uploaded = as_applicant.post(
        f"{file_url}documents/", {"document_type": "statutes", "file": pdf_file()}, format="multipart"
    )
    assert uploaded.status_code == 201

    submitted = as_applicant.post(f"{file_url}transitions/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.json()
    reference = submitted.json()["reference"]
    assert reference == f"MUT-{timezone.localdate().year}-00001"
    assert submitted.json()["administration"] == "cocof"

    assert as_officer.post(f"{file_url}transitions/start_screening/", {}, format="json").status_code == 200
    assert (
        as_officer.post(f"{file_url}transitions/admit/", {}, format="json").json()["state"] == "under_review"
    )
    declared = as_reviewer.post(f"{file_url}conflict-declaration/", {"has_conflict": False}, format="json")
    assert declared.status_code == 201, declared.json()
    scores = {"relevance": 4, "feasibility": 4, "partnership": 5, "budget": 3, "public_effect": 4}
    reviewed = as_reviewer.post(f"{file_url}reviews/", {**scores, "recommendation": "award"}, format="json")
    assert reviewed.status_code == 201, reviewed.json()

    approved = as_approver.post(
        f"{file_url}transitions/approve/", {"awarded_amount": "35000.00"}, format="json"
    )
    assert (approved.status_code, approved.json()["state"]) == (200, "approved"), approved.json()
    assert approved.json()["awarded_amount"] == "35000.00"
    assert (
        as_applicant.post(f"{file_url}transitions/accept/", {}, format="json").json()["state"]
        == "in_progress"
    )

    expenses = [{"budget_line": line["id"], "amount": line["amount"]} for line in draft["budget_lines"]]
    reported = as_applicant.post(
        f"{file_url}reports/",
        {"kind": "final", "activities": "The accountant works for all three.", "expenses": expenses},
        format="json",
    )
    assert reported.status_code == 201, reported.json()
    final = as_applicant.post(f"{file_url}transitions/submit_final_report/", {}, format="json")
    assert final.json()["state"] == "final_report_submitted"
    closed = as_approver.post(
        f"{file_url}transitions/close/", {"accepted_expenses": "35000.00"}, format="json"
    )
    assert (closed.status_code, closed.json()["state"]) == (200, "closed"), closed.json()

    orders = (
        client_for(staff("finance")).get("/api/v1/payments/orders/", {"file_reference": reference}).json()
    )
    assert sorted((o["kind"], o["amount"]) for o in orders["results"]) == [
        ("grant_advance", "24500.00"),
        ("grant_balance", "10500.00"),
    ]
    history = as_applicant.get(f"{file_url}history/").json()
    assert [entry["transition"] for entry in history if entry["transition"] not in EVENT_LABELS] == [
        "submit",
        "start_screening",
        "admit",
        "approve",
        "accept",
        "submit_final_report",
        "close",
    ]
