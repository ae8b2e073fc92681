"""The web interface of grants: calls, drafts, the file page, officers' pages, reports, PDFs."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from reportlab.pdfgen import canvas

from core.models import Document, PaymentOrder
from core.workflow import perform_transition
from grants.models import BudgetLine, GrantApplication, Report, Review
from grants.workflow import State
from tests.factories import OrganisationFactory, RecognitionFactory, administration, applicant, staff
from tests.grants.factories import (
    CallFactory,
    Cast,
    GrantApplicationFactory,
    advance_to,
    declared_free_of_conflict,
    review,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"preferred_language": "en"}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def english_cast(application) -> Cast:
    cast = Cast.__new__(Cast)
    cast.applicant = applicant(application.lead_organisation, **ENGLISH)
    cast.officer = staff("officer", **ENGLISH)
    cast.reviewer = staff("officer", **ENGLISH)
    cast.approver = staff("approver", **ENGLISH)
    return cast


def pdf_upload(name="statutes.pdf") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Statuts")
    page.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def budget_data(lines: list[dict], initial: int = 0) -> dict:
    data = {
        "budget-TOTAL_FORMS": str(len(lines)),
        "budget-INITIAL_FORMS": str(initial),
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(lines):
        data.update({f"budget-{index}-{name}": value for name, value in line.items()})
    return data


SAMPLE_LINES = [
    {"category": "coordination_hours", "description": "Coordination", "hours": "400", "hourly_cost": "50"},
    {"category": "staff", "description": "Shared accountant", "amount": "30000"},
]


def draft_data(partners: str = "", lines=None, initial: int = 0, **overrides) -> dict:
    data = {
        "title": "Shared accounting office",
        "description": "Three associations pool an accountant.",
        "axes": ["support_functions"],
        "types": ["hr_support"],
        "logics": ["managerial", "professionalisation"],
        "initiative_legal_form": "agreement",
        "start_date": (date.today() + timedelta(days=30)).isoformat(),
        "end_date": (date.today() + timedelta(days=400)).isoformat(),
        "requested_amount": "40000.00",
        "expected_effects": "Shorter waiting lists.",
        "other_public_funding": "",
        "other_public_funding_amount": "",
        "partners": partners,
        **budget_data(SAMPLE_LINES if lines is None else lines, initial),
    }
    data.update(overrides)
    return data


def edit_url(application) -> str:
    return f"/grants/applications/{application.pk}/edit/"


def empty_draft(**call_fields):
    """A draft as the start page creates it: a title, no budget line, no partner."""
    return GrantApplicationFactory(
        call=CallFactory(**call_fields),
        description="",
        axes=[],
        types=[],
        logics=[],
        initiative_legal_form="",
        start_date=None,
        end_date=None,
        requested_amount=None,
        expected_effects="",
        partners=[],
        budget=False,
    )


def transition(client, application, name, **data):
    return client.post(f"/grants/applications/{application.pk}/transitions/{name}/", data)


# -- the whole journey ---------------------------------------------------------------------------


def test_an_application_goes_from_draft_to_closed_on_the_web():
    call = CallFactory()
    lead = RecognitionFactory().organisation
    partner = OrganisationFactory()
    person = applicant(lead, **ENGLISH)
    officer, reviewer, approver = (
        staff("officer", **ENGLISH),
        staff("officer", **ENGLISH),
        staff("approver", **ENGLISH),
    )
    client = signed_in(person)

    response = client.post(
        "/grants/applications/new/", {"call": call.pk, "lead_organisation": lead.pk, "title": "Pool"}
    )
    application = GrantApplication.objects.get(lead_organisation=lead)
    assert response.url == edit_url(application)

    response = client.post(edit_url(application), draft_data(partners=partner.enterprise_number))
    assert response.status_code == 302
    assert application.budget_lines.count() == 2
    assert transition(client, application, "submit").status_code == 302
    assert transition(signed_in(officer), application, "start_screening").status_code == 302
    assert transition(signed_in(officer), application, "admit").status_code == 302
    declared = signed_in(reviewer).post(
        f"/grants/applications/{application.pk}/instruction/", {"action": "declare", "has_conflict": "no"}
    )
    assert declared.status_code == 302
    scores = dict.fromkeys(Review.SCORE_FIELDS, "4") | {"recommendation": "award"}
    response = signed_in(reviewer).post(f"/grants/applications/{application.pk}/review/", scores)
    assert response.status_code == 302
    response = transition(signed_in(approver), application, "approve", awarded_amount="35000.00")
    assert response.status_code == 302
    assert transition(client, application, "accept").status_code == 302
    expenses = {f"expense_{line.pk}": str(line.amount) for line in application.budget_lines.all()}
    response = client.post(
        f"/grants/applications/{application.pk}/reports/final/", {"activities": "Done", **expenses}
    )
    assert response.status_code == 302
    assert transition(client, application, "submit_final_report").status_code == 302
    response = transition(signed_in(approver), application, "close", accepted_expenses="35000.00")
    assert response.status_code == 302

    application.refresh_from_db()
    assert application.state == State.CLOSED
    assert application.partners.get() == partner
    kinds = list(PaymentOrder.objects.filter(object_id=application.pk).values_list("kind", flat=True))
    assert sorted(kinds) == ["grant_advance", "grant_balance"]


# -- calls ---------------------------------------------------------------------------------------


def test_applicants_see_the_open_calls_with_dates_maximum_and_advance():
    open_call = CallFactory(max_amount_per_application=Decimal("120000"), advance_percentage=Decimal("60"))
    closed_call = CallFactory(closed=True)

    page = signed_in(applicant(**ENGLISH)).get("/grants/calls/")

    assert f'data-call="{open_call.pk}"'.encode() in page.content
    assert f'data-call="{closed_call.pk}"'.encode() not in page.content
    assert "€120,000.00" in page.content.decode()
    assert "60 % of the award" in page.content.decode()


def test_staff_see_every_call():
    closed_call = CallFactory(closed=True)

    page = signed_in(staff("officer", **ENGLISH)).get("/grants/calls/")

    assert f'data-call="{closed_call.pk}"'.encode() in page.content


def test_the_call_page_shows_staff_the_budget_of_each_administration():
    call = CallFactory(envelopes={"cocof": Decimal("100000")})
    advance_to(GrantApplicationFactory(call=call), State.APPROVED, awarded=Decimal("25000.00"))

    page = signed_in(staff("officer", **ENGLISH)).get(f"/grants/calls/{call.pk}/")

    content = page.content.decode()
    assert 'data-committed="25000.00"' in content
    assert 'data-remaining="75000.00"' in content
    assert "<meter" in content


def test_the_call_page_hides_the_budget_from_applicants():
    call = CallFactory()

    page = signed_in(applicant(**ENGLISH)).get(f"/grants/calls/{call.pk}/")

    assert page.status_code == 200
    assert b"data-committed" not in page.content


# -- starting and saving a draft -----------------------------------------------------------------


def test_starting_an_application_creates_a_draft_of_the_users_organisation():
    call = CallFactory()
    person = applicant(**ENGLISH)
    lead = person.memberships.get().organisation

    response = signed_in(person).post(
        "/grants/applications/new/", {"call": call.pk, "lead_organisation": lead.pk, "title": "Pool"}
    )

    application = GrantApplication.objects.get()
    assert (application.state, application.lead_organisation, application.created_by) == (
        State.DRAFT,
        lead,
        person,
    )
    assert response.url == edit_url(application)


def test_another_organisation_cannot_be_chosen_as_lead():
    call = CallFactory()
    other = RecognitionFactory().organisation

    response = signed_in(applicant(**ENGLISH)).post(
        "/grants/applications/new/", {"call": call.pk, "lead_organisation": other.pk, "title": "Pool"}
    )

    assert response.status_code == 400
    assert b'id="id_lead_organisation_errors"' in response.content
    assert not GrantApplication.objects.exists()


def test_save_draft_keeps_an_incomplete_draft():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.post(
        edit_url(application), draft_data(lines=[], title="Half done", description="", axes=[])
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Half done"
    assert application.requested_amount == Decimal("40000.00")
    page = client.get(edit_url(application))
    assert b"Describe the initiative." in page.content
    assert b"Choose at least one axis" in page.content


def test_an_end_date_before_the_start_date_is_shown_next_to_the_end_date_and_the_rest_is_saved():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.post(
        edit_url(application),
        draft_data(lines=[], title="New title", start_date="2026-09-01", end_date="2026-08-01"),
    )

    assert response.status_code == 400
    assert b'id="id_end_date_errors"' in response.content
    assert b"The end date cannot be before the start date." in response.content
    assert b'value="New title"' in response.content
    assert b'value="2026-08-01"' in response.content
    application.refresh_from_db()
    assert (application.title, application.end_date) == ("New title", None)


def test_an_amount_above_the_calls_maximum_is_shown_next_to_the_amount():
    application = empty_draft(max_amount_per_application=Decimal("50000"))
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.post(edit_url(application), draft_data(requested_amount="60000"))

    assert response.status_code == 400
    assert b'id="id_requested_amount_errors"' in response.content
    assert b"exceeds the call&#x27;s maximum" in response.content
    assert b'value="60000"' in response.content
    application.refresh_from_db()
    assert application.requested_amount is None
    assert application.budget_lines.count() == 2


def test_an_amount_above_the_total_budget_is_shown_next_to_the_amount():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.post(edit_url(application), draft_data(requested_amount="90000"))

    assert response.status_code == 400
    assert b'id="id_requested_amount_errors"' in response.content
    assert b"exceeds the total budget" in response.content
    application.refresh_from_db()
    assert application.requested_amount is None
    assert application.budget_total == Decimal("50000.00")


def test_the_amount_and_a_larger_budget_are_saved_together():
    application = GrantApplicationFactory(requested_amount=Decimal("10000"))
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    lines = [{"category": "equipment", "description": "Servers", "amount": "100000"}]

    response = client.post(
        edit_url(application), draft_data(lines=lines, requested_amount="90000", partners="")
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.requested_amount == Decimal("90000.00")
    assert application.budget_total == Decimal("100000.00")


def test_an_unknown_partner_number_is_named_next_to_the_partners_field():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.post(edit_url(application), draft_data(partners="0403.170.701"))

    assert response.status_code == 400
    assert b'id="id_partners_errors"' in response.content
    assert b"0403.170.701" in response.content
    assert not application.partners.exists()


def test_partners_are_entered_by_enterprise_number_one_per_line_or_comma_separated():
    application = empty_draft()
    first, second, third = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    numbers = f"BE {first.enterprise_number}, {second.enterprise_number}\n{third.enterprise_number}"

    client.post(edit_url(application), draft_data(partners=numbers))

    assert set(application.partners.all()) == {first, second, third}


def test_the_lead_organisation_cannot_be_its_own_partner():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.post(
        edit_url(application), draft_data(partners=application.lead_organisation.enterprise_number)
    )

    assert response.status_code == 400
    assert b"cannot also be its own partner" in response.content


def test_coordination_hours_are_costed_as_hours_times_hourly_cost():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    client.post(edit_url(application), draft_data())

    line = application.budget_lines.get(category="coordination_hours")
    assert line.amount == Decimal("20000.00")


def test_a_coordination_line_without_an_hourly_cost_is_refused_next_to_the_field():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    lines = [{"category": "coordination_hours", "description": "Coordination", "hours": "10"}]

    response = client.post(edit_url(application), draft_data(lines=lines, requested_amount=""))

    assert response.status_code == 400
    assert b'id="id_budget-0-hourly_cost_errors"' in response.content
    assert not application.budget_lines.exists()


def test_a_budget_line_can_be_deleted():
    application = GrantApplicationFactory(requested_amount=Decimal("20000"))
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    lines = [
        {
            "category": "coordination_hours",
            "description": "Coordination",
            "hours": "400.00",
            "hourly_cost": "50.00",
            "amount": "20000.00",
        },
        {"category": "staff", "description": "Shared accountant", "amount": "30000.00", "DELETE": "on"},
    ]

    client.post(edit_url(application), draft_data(lines=lines, initial=2, requested_amount="20000"))

    assert list(application.budget_lines.values_list("description", flat=True)) == ["Coordination"]


def test_the_completeness_panel_lists_what_is_missing_before_submission():
    application = empty_draft()

    page = signed_in(applicant(application.lead_organisation, **ENGLISH)).get(edit_url(application))

    assert b'id="completeness"' in page.content
    assert b"Add at least one budget line." in page.content
    assert b"Name at least one partner organisation" in page.content


# -- submission refusals on the web --------------------------------------------------------------


def test_submitting_without_a_partner_shows_the_refusal_next_to_the_partners_field():
    application = GrantApplicationFactory(partners=[])
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = transition(client, application, "submit")

    assert response.status_code == 400
    assert b'id="id_partners_errors"' in response.content
    assert f'action="{edit_url(application)}"'.encode() in response.content  # "Save draft" saves
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_submitting_without_a_required_document_shows_it_in_the_documents_section():
    application = GrantApplicationFactory(call=CallFactory(required_documents=["statutes"]))
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = transition(client, application, "submit")

    assert response.status_code == 400
    assert b'id="documents_errors"' in response.content
    assert b"Missing documents: Statutes." in response.content
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_a_complete_draft_with_its_required_document_is_submitted():
    application = GrantApplicationFactory(call=CallFactory(required_documents=["statutes"]))
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    client.post(
        f"/grants/applications/{application.pk}/documents/",
        {"document_type": "statutes", "content": pdf_upload()},
    )

    response = transition(client, application, "submit")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_submit_form_offers_the_administration_only_when_several_are_competent():
    application = GrantApplicationFactory()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    url = f"/grants/applications/{application.pk}/transitions/submit/"

    assert b'name="administration"' not in client.get(url).content
    RecognitionFactory(organisation=application.lead_organisation, iriscare=True)
    assert b'name="administration"' in client.get(url).content


def test_an_information_request_is_answered_by_editing_the_draft_and_sending_it_back():
    application = GrantApplicationFactory()
    cast = english_cast(application)
    application = advance_to(application, State.SCREENING, cast)
    perform_transition(
        file=application, name="request_information", acting_user=cast.officer, data={"comment": "Dates?"}
    )
    client = signed_in(cast.applicant)
    end = (date.today() + timedelta(days=500)).isoformat()

    partner = application.partners.get().enterprise_number
    saved = client.post(edit_url(application), draft_data(partner, initial=2, end_date=end))
    sent = transition(client, application, "resubmit")

    assert (saved.status_code, sent.status_code) == (302, 302)
    application.refresh_from_db()
    assert (application.state, application.end_date.isoformat()) == (State.SCREENING, end)


# -- documents -----------------------------------------------------------------------------------


def test_an_uploaded_document_is_listed_and_a_replacement_is_a_new_version():
    application = GrantApplicationFactory()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    url = f"/grants/applications/{application.pk}/documents/"
    client.post(url, {"document_type": "statutes", "content": pdf_upload("v1.pdf")})
    first = Document.objects.get()

    response = client.post(
        url, {"document_type": "other", "content": pdf_upload("v2.pdf"), "replaces": first.pk}
    )

    assert response.status_code == 302
    latest = Document.objects.latest("pk")
    assert (latest.series, latest.version, latest.document_type) == (first.series, 2, "statutes")
    page = client.get(edit_url(application))
    assert f'data-document="{latest.pk}" data-version="2"'.encode() in page.content
    assert b"1 earlier version" in page.content


def test_a_file_whose_content_is_not_accepted_is_refused_next_to_the_file_field():
    application = GrantApplicationFactory()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    upload = SimpleUploadedFile("statutes.pdf", b"just text, not a PDF", content_type="application/pdf")

    response = client.post(
        f"/grants/applications/{application.pk}/documents/", {"document_type": "statutes", "content": upload}
    )

    assert response.status_code == 400
    assert b'id="id_content_errors"' in response.content
    assert not Document.objects.exists()


def test_a_document_downloads_within_scope_only():
    application = GrantApplicationFactory()
    person = applicant(application.lead_organisation, **ENGLISH)
    signed_in(person).post(
        f"/grants/applications/{application.pk}/documents/",
        {"document_type": "statutes", "content": pdf_upload()},
    )
    url = f"/grants/applications/{application.pk}/documents/{Document.objects.get().pk}/"

    assert signed_in(person).get(url).status_code == 200
    assert signed_in(applicant(**ENGLISH)).get(url).status_code == 404


# -- scope and roles -----------------------------------------------------------------------------


def test_partner_members_read_the_file_without_edit_controls():
    partner = OrganisationFactory()
    application = GrantApplicationFactory(partners=[partner])
    client = signed_in(applicant(partner, **ENGLISH))

    page = client.get(application.get_absolute_url())

    assert page.status_code == 200
    assert b"Shared accounting office" in page.content
    assert b'id="edit-link"' not in page.content
    assert b"data-transition" not in page.content
    assert client.get(edit_url(application)).status_code == 403
    assert client.post(edit_url(application), draft_data()).status_code == 403


def test_a_file_outside_the_users_scope_answers_404():
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    assert signed_in(applicant(**ENGLISH)).get(application.get_absolute_url()).status_code == 404
    iriscare = staff("officer", "iriscare", **ENGLISH)
    assert signed_in(iriscare).get(application.get_absolute_url()).status_code == 404
    assert transition(signed_in(iriscare), application, "start_screening").status_code == 404


def test_staff_do_not_see_drafts():
    application = GrantApplicationFactory()

    assert signed_in(staff("officer", **ENGLISH)).get(application.get_absolute_url()).status_code == 404


def test_an_action_of_another_role_answers_403():
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    assert transition(client, application, "start_screening").status_code == 403


def test_an_action_in_the_wrong_state_redirects_to_the_file_with_a_message():
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    client = signed_in(staff("officer", **ENGLISH))

    response = transition(client, application, "admit")

    assert response.status_code == 302
    page = client.get(response.url)
    assert b"This action is not possible while the file is" in page.content


def test_editing_a_submitted_application_redirects_with_a_message():
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.get(edit_url(application), follow=True)

    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    assert b"can no longer be changed in this state" in response.content


def test_the_officer_who_screened_the_file_cannot_approve_it():
    application = GrantApplicationFactory()
    cast = english_cast(application)
    cast.officer = cast.approver
    application = advance_to(application, State.UNDER_REVIEW, cast)
    review(application, cast.reviewer)
    review(application, staff("officer"))

    response = transition(signed_in(cast.approver), application, "approve", awarded_amount="30000")

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW


def test_the_award_cannot_exceed_the_requested_amount():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)
    review(application)

    response = transition(
        signed_in(staff("approver", **ENGLISH)), application, "approve", awarded_amount="99999"
    )

    assert response.status_code == 400
    assert b'id="id_awarded_amount_errors"' in response.content


# -- the file page -------------------------------------------------------------------------------


def test_the_file_page_shows_budget_total_award_and_payment_orders():
    application = advance_to(GrantApplicationFactory(), State.IN_PROGRESS, awarded=Decimal("35000.00"))

    page = signed_in(applicant(application.lead_organisation, **ENGLISH)).get(application.get_absolute_url())

    content = page.content.decode()
    assert "€50,000.00" in content  # total budget
    assert "€35,000.00" in content  # award
    assert 'data-kind="grant_advance"' in content
    assert "€24,500.00" in content  # 70 % advance
    assert 'id="award-letter-link"' in content


def test_officers_see_the_eligibility_snapshot_and_a_link_to_run_the_check_again():
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    page = signed_in(staff("officer", **ENGLISH)).get(application.get_absolute_url())

    assert b'id="snapshot-title"' in page.content
    expected = f"?organisation={application.lead_organisation_id}&amp;scheme=grants"
    assert expected.encode() in page.content


def test_staff_see_the_reviews_with_averages_per_criterion_and_overall():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)
    review(application, relevance=5, feasibility=3)
    review(application, relevance=2, feasibility=3)

    page = signed_in(staff("officer", **ENGLISH)).get(application.get_absolute_url())

    content = page.content.decode()
    assert '<td data-average="relevance">3.5</td>' in content
    assert '<td data-average="feasibility">3.0</td>' in content
    assert "<strong>3.7</strong>" in content  # (5+3+4+4+4 + 2+3+4+4+4) / 10


def test_applicants_do_not_see_the_officers_reviews():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)
    review(application)

    page = signed_in(applicant(application.lead_organisation, **ENGLISH)).get(application.get_absolute_url())

    assert b'id="reviews"' not in page.content


# -- reviews -------------------------------------------------------------------------------------


def test_an_officer_records_a_review_and_can_update_it():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)
    officer = staff("officer", **ENGLISH)
    client = signed_in(officer)
    scores = dict.fromkeys(Review.SCORE_FIELDS, "3") | {"recommendation": "award_reduced"}
    declared_free_of_conflict(application, officer)

    client.post(f"/grants/applications/{application.pk}/review/", scores)
    client.post(f"/grants/applications/{application.pk}/review/", scores | {"budget": "1"})

    mine = Review.objects.get(application=application, reviewer=officer)
    assert (mine.relevance, mine.budget, mine.recommendation) == (3, 1, "award_reduced")


def test_a_score_above_five_is_refused_next_to_the_field():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)
    scores = dict.fromkeys(Review.SCORE_FIELDS, "3") | {"recommendation": "award", "relevance": "6"}
    officer = staff("officer", **ENGLISH)
    declared_free_of_conflict(application, officer)

    response = signed_in(officer).post(f"/grants/applications/{application.pk}/review/", scores)

    assert response.status_code == 400
    assert b'id="id_relevance_errors"' in response.content
    assert not Review.objects.exists()


def test_applicants_may_not_review_their_file():
    application = advance_to(GrantApplicationFactory(), State.UNDER_REVIEW)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    assert client.get(f"/grants/applications/{application.pk}/review/").status_code == 403


def test_reviewing_outside_the_review_stage_redirects_with_a_message():
    application = advance_to(GrantApplicationFactory(), State.SCREENING)

    response = signed_in(staff("officer", **ENGLISH)).get(
        f"/grants/applications/{application.pk}/review/", follow=True
    )

    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    assert b"Reviews are recorded while the application is under review." in response.content


# -- reports -------------------------------------------------------------------------------------


def test_an_interim_report_is_filed_while_in_progress():
    application = advance_to(GrantApplicationFactory(), State.IN_PROGRESS)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.post(
        f"/grants/applications/{application.pk}/reports/interim/", {"activities": "Kick-off", "results": ""}
    )

    assert response.status_code == 302
    assert Report.objects.get().kind == "interim"
    assert b"Kick-off" in client.get(application.get_absolute_url()).content


def test_the_final_report_needs_a_justified_amount_for_each_budget_line():
    application = advance_to(GrantApplicationFactory(), State.IN_PROGRESS)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))
    first = application.budget_lines.first()

    response = client.post(
        f"/grants/applications/{application.pk}/reports/final/",
        {"activities": "Done", f"expense_{first.pk}": "100"},
    )

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_submitting_the_final_report_before_filing_it_is_refused_with_a_message():
    application = advance_to(GrantApplicationFactory(), State.IN_PROGRESS)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = transition(client, application, "submit_final_report")

    assert response.status_code == 400
    assert b"File the final report with the justified expenses first." in response.content


def test_reports_cannot_be_filed_before_the_grant_is_in_progress():
    application = advance_to(GrantApplicationFactory(), State.APPROVED)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.get(f"/grants/applications/{application.pk}/reports/interim/", follow=True)

    assert b"Reports are filed while the grant is in progress." in response.content


# -- PDFs ----------------------------------------------------------------------------------------


def test_the_receipt_downloads_as_a_pdf_once_submitted():
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    response = client.get(f"/grants/applications/{application.pk}/receipt.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_the_award_letter_downloads_as_a_pdf_once_awarded():
    application = advance_to(GrantApplicationFactory(), State.APPROVED)

    response = signed_in(staff("officer", **ENGLISH)).get(
        f"/grants/applications/{application.pk}/award-letter.pdf"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_pdfs_answer_404_outside_the_scope():
    submitted = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    client = signed_in(applicant(**ENGLISH))

    assert client.get(f"/grants/applications/{submitted.pk}/receipt.pdf").status_code == 404


def test_a_pdf_that_does_not_exist_yet_sends_the_applicant_back_to_the_file_saying_why():
    submitted = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    own = signed_in(applicant(submitted.lead_organisation, **ENGLISH))

    response = own.get(f"/grants/applications/{submitted.pk}/award-letter.pdf", follow=True)

    assert response.redirect_chain[-1][0] == submitted.get_absolute_url()
    assert "There is no award letter" in response.content.decode()


# -- the list of files ---------------------------------------------------------------------------


def submitted_files(count: int) -> list[GrantApplication]:
    """Files in the Cocof queue, made directly (the list only reads them)."""
    call = CallFactory()
    applications = [GrantApplicationFactory(call=call, budget=False) for _ in range(count)]
    for number, application in enumerate(applications, start=1):
        GrantApplication.objects.filter(pk=application.pk).update(
            state=State.SUBMITTED,
            administration=administration("cocof"),
            reference=f"MUT-2026-{application.pk:05d}",
            submitted_at=application.created_at,
            requested_amount=Decimal(1000 * number),
        )
    return applications


def test_the_list_of_files_runs_the_same_number_of_queries_for_3_or_20_rows():
    officer = staff("officer", **ENGLISH)
    submitted_files(3)
    client = signed_in(officer)
    client.get("/grants/applications/")  # warm the session and content-type caches

    with CaptureQueriesContext(connection) as few:
        assert client.get("/grants/applications/?sort=-requested_amount").status_code == 200
    submitted_files(17)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/grants/applications/?sort=-requested_amount")

    assert page.content.count(b"data-application=") == 20
    assert len(many) == len(few)


def test_the_list_of_files_is_filtered_by_state_and_sorted_by_requested_amount():
    applications = submitted_files(3)
    GrantApplication.objects.filter(pk=applications[0].pk).update(state=State.SCREENING)
    client = signed_in(staff("officer", **ENGLISH))

    page = client.get("/grants/applications/?state=submitted&sort=-requested_amount")

    rows = [f'data-application="{a.pk}"'.encode() for a in applications]
    content = page.content
    assert rows[0] not in content
    assert content.index(rows[2]) < content.index(rows[1])


def test_the_list_of_files_is_paginated_by_25():
    submitted_files(26)

    page = signed_in(staff("officer", **ENGLISH)).get("/grants/applications/")

    assert page.content.count(b"data-application=") == 25
    assert b"Page 1 of 2" in page.content


def test_an_unknown_sort_is_refused_next_to_the_sort_field():
    submitted_files(1)

    page = signed_in(staff("officer", **ENGLISH)).get("/grants/applications/?sort=password")

    assert page.status_code == 200
    assert b'id="id_sort_errors"' in page.content


def test_applicants_see_the_files_of_their_organisations_as_lead_or_partner():
    person = applicant(**ENGLISH)
    organisation = person.memberships.get().organisation
    led = GrantApplicationFactory(lead_organisation=organisation)
    partnered = GrantApplicationFactory(partners=[organisation])
    unrelated = GrantApplicationFactory()

    content = signed_in(person).get("/grants/applications/").content

    assert f'data-application="{led.pk}"'.encode() in content
    assert f'data-application="{partnered.pk}"'.encode() in content
    assert f'data-application="{unrelated.pk}"'.encode() not in content


def test_the_dashboard_lists_the_applicants_grant_files_and_the_open_calls():
    application = GrantApplicationFactory(title="Pooled payroll")
    person = applicant(application.lead_organisation, **ENGLISH)

    page = signed_in(person).get("/")

    assert b"Pooled payroll" in page.content
    assert application.call.title.encode() in page.content


def test_budget_lines_keep_their_order_after_saving():
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, **ENGLISH))

    client.post(edit_url(application), draft_data())

    assert list(BudgetLine.objects.values_list("description", flat=True)) == [
        "Coordination",
        "Shared accountant",
    ]
