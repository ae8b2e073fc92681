"""The draft page never loses input: every button saves what was typed, a refused field leaves the
other sections saved, uploads happen in the same POST, the budget grows a line at a time and shows
its total, and each of these writes leaves a row in the file's history."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Document, HistoryEntry
from grants.models import GrantApplication
from tests.factories import OrganisationFactory, applicant
from tests.grants.factories import GrantApplicationFactory
from tests.grants.test_web import (
    ENGLISH,
    SAMPLE_LINES,
    budget_data,
    draft_data,
    edit_url,
    empty_draft,
    pdf_upload,
    signed_in,
)

pytestmark = pytest.mark.django_db


def applicant_client(application):
    return signed_in(applicant(application.lead_organisation, **ENGLISH))


def with_file(data: dict, content, document_type: str = "statutes", **extra) -> dict:
    return {**data, "document-document_type": document_type, "document-content": content, **extra}


def not_a_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("statutes.pdf", b"just text, not a PDF", content_type="application/pdf")


def history(application) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.for_file(application).order_by("pk"))


# -- uploading from the draft ----------------------------------------------------------------------


def test_uploading_a_document_saves_what_was_typed_in_the_draft():
    application = empty_draft()
    client = applicant_client(application)

    response = client.post(
        edit_url(application), with_file(draft_data(title="Typed, not saved yet"), pdf_upload(), upload="1")
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Typed, not saved yet"
    assert application.budget_lines.count() == 2
    assert Document.objects.for_file(application).get().document_type == "statutes"


def test_a_refused_upload_keeps_what_was_typed_and_the_chosen_type_and_saves_the_draft():
    application = empty_draft()
    client = applicant_client(application)
    data = draft_data(description="Typed before uploading")

    response = client.post(edit_url(application), with_file(data, not_a_pdf(), "annual_accounts", upload="1"))

    assert response.status_code == 400
    assert b'id="id_document-content_errors"' in response.content
    assert b'<option value="annual_accounts" selected>' in response.content
    assert b"Typed before uploading" in response.content
    assert b'value="Shared accountant"' in response.content
    application.refresh_from_db()
    assert application.description == "Typed before uploading"
    assert not Document.objects.exists()


def test_a_document_uploaded_beside_a_refused_field_is_attached_and_said_so():
    application = empty_draft()
    data = with_file(draft_data(partners="0403.170.701"), pdf_upload("statuts.pdf"), upload="1")

    response = applicant_client(application).post(edit_url(application), data)

    assert response.status_code == 400
    assert "“statuts.pdf” was uploaded.".encode() in response.content
    assert Document.objects.for_file(application).count() == 1


def test_pressing_upload_without_a_file_asks_for_one_next_to_the_file_field():
    application = empty_draft()

    response = applicant_client(application).post(edit_url(application), {**draft_data(), "upload": "1"})

    assert response.status_code == 400
    assert b'id="id_document-content_errors"' in response.content
    application.refresh_from_db()
    assert application.description == "Three associations pool an accountant."


def test_a_refused_field_keeps_the_document_type_chosen_without_asking_for_a_file():
    application = empty_draft()
    data = {**draft_data(partners="0403.170.701"), "document-document_type": "annual_accounts"}

    response = applicant_client(application).post(edit_url(application), data)

    assert response.status_code == 400
    assert b'<option value="annual_accounts" selected>' in response.content
    assert b'id="id_document-content_errors"' not in response.content


def test_a_file_chosen_before_pressing_save_draft_is_uploaded_too():
    application = empty_draft()

    applicant_client(application).post(edit_url(application), with_file(draft_data(), pdf_upload()))

    assert Document.objects.for_file(application).count() == 1


def test_upload_a_new_version_from_the_draft_saves_it_and_opens_the_upload_page():
    application = GrantApplicationFactory()
    client = applicant_client(application)
    client.post(edit_url(application), with_file(draft_data(initial=2), pdf_upload(), upload="1"))
    document = Document.objects.get()

    response = client.post(
        edit_url(application), draft_data(initial=2, title="Typed first", replace_document=str(document.pk))
    )

    assert response.status_code == 302
    assert response.url.startswith(f"/grants/applications/{application.pk}/documents/?replaces={document.pk}")
    application.refresh_from_db()
    assert application.title == "Typed first"
    page = client.get(response.url)
    assert b'id="replacing"' in page.content
    assert f'name="next" value="{edit_url(application)}#documents"'.encode() in page.content


def test_a_draft_document_is_deleted_with_the_draft_saved_first():
    application = GrantApplicationFactory()
    client = applicant_client(application)
    client.post(edit_url(application), with_file(draft_data(initial=2), pdf_upload(), upload="1"))
    document = Document.objects.get()

    response = client.post(
        edit_url(application), draft_data(initial=2, title="Typed first", delete_document=str(document.pk))
    )

    assert response.status_code == 302
    assert not Document.objects.exists()
    application.refresh_from_db()
    assert application.title == "Typed first"


# -- one refused field, the rest saved ------------------------------------------------------------------


def test_an_unknown_partner_is_refused_next_to_its_field_while_the_other_sections_are_saved():
    application = empty_draft()

    response = applicant_client(application).post(
        edit_url(application), draft_data(partners="0403.170.701", description="Kept")
    )

    assert response.status_code == 400
    assert b'id="id_partners_errors"' in response.content
    assert b"0403.170.701" in response.content
    application.refresh_from_db()
    assert application.description == "Kept"
    assert application.budget_total == Decimal("50000.00")
    assert not application.partners.exists()


def test_the_completeness_panel_counts_what_was_just_saved_beside_a_refused_field():
    application = empty_draft()

    response = applicant_client(application).post(edit_url(application), draft_data(partners="0403.170.701"))

    panel = response.content.split(b'id="completeness"')[1].split(b"</section>")[0]
    assert b"Name at least one partner organisation" in panel
    assert b"Add at least one budget line." not in panel
    assert b"Describe the initiative." not in panel


def test_the_summary_says_the_rest_was_saved():
    application = empty_draft()

    response = applicant_client(application).post(edit_url(application), draft_data(partners="0403.170.701"))

    assert b"Everything else you typed was saved." in response.content


def test_a_refused_budget_line_keeps_its_message_beside_it_and_the_saved_budget_unchanged():
    application = GrantApplicationFactory(requested_amount=None)
    lines = [
        {"category": "staff", "description": "Shared accountant", "amount": "31000"},
        {"category": "coordination_hours", "description": "Coordination", "hours": "10"},
    ]

    response = applicant_client(application).post(
        edit_url(application), draft_data(lines=lines, initial=2, requested_amount="", title="Kept")
    )

    assert response.status_code == 400
    assert b'id="id_budget-1-hourly_cost_errors"' in response.content
    assert b'value="31000"' in response.content
    application.refresh_from_db()
    assert application.title == "Kept"
    assert application.budget_total == Decimal("50000.00")


def test_a_refused_amount_keeps_the_typed_value_while_the_new_budget_is_saved():
    application = empty_draft()

    response = applicant_client(application).post(edit_url(application), draft_data(requested_amount="90000"))

    assert b'value="90000"' in response.content
    assert b'id="id_requested_amount_errors"' in response.content
    application.refresh_from_db()
    assert (application.requested_amount, application.budget_total) == (None, Decimal("50000.00"))


# -- the budget: one more line, the running total ---------------------------------------------------


def test_add_a_line_saves_the_draft_and_comes_back_with_one_more_blank_line():
    application = empty_draft()
    client = applicant_client(application)
    data = draft_data(lines=[SAMPLE_LINES[1], {}], requested_amount="", add_line="1")

    response = client.post(edit_url(application), data)

    assert response.status_code == 302
    assert response.url == f"{edit_url(application)}?blank=2#budget"
    assert application.budget_lines.count() == 1
    page = client.get(response.url)
    assert b'name="budget-TOTAL_FORMS" value="3"' in page.content
    assert b'<details id="new-lines" open>' in page.content


def test_add_a_line_beside_a_refused_field_keeps_the_input_and_adds_the_line():
    application = empty_draft()
    data = draft_data(lines=SAMPLE_LINES, partners="0403.170.701", add_line="1")

    response = applicant_client(application).post(edit_url(application), data)

    assert response.status_code == 400
    assert b'name="budget-TOTAL_FORMS" value="3"' in response.content
    assert b'id="id_budget-2-category"' in response.content
    assert b'value="Shared accountant"' in response.content


def test_the_page_carries_a_blank_line_template_for_adding_lines_without_a_reload():
    application = empty_draft()

    page = applicant_client(application).get(edit_url(application))

    assert b'<template id="budget-line-template">' in page.content
    assert b'id="id_budget-__prefix__-category"' in page.content
    assert b"js/budget.js" in page.content


def test_the_running_total_shows_the_lines_typed_even_when_the_budget_was_not_saved():
    application = empty_draft()
    lines = [
        {"category": "staff", "description": "Shared accountant", "amount": "1200"},
        {"category": "coordination_hours", "description": "Coordination", "hours": "10", "hourly_cost": "50"},
        {"category": "equipment", "description": "Servers"},
    ]

    response = applicant_client(application).post(edit_url(application), draft_data(lines=lines))

    total = response.content.split(b'id="budget-running-total-amount"')[1].split(b"</output>")[0]
    assert b"1,700.00" in total
    assert not application.budget_lines.exists()


def test_the_running_total_of_a_saved_draft_is_its_budget_total():
    application = GrantApplicationFactory()

    page = applicant_client(application).get(edit_url(application))

    total = page.content.split(b'id="budget-running-total-amount"')[1].split(b"</output>")[0]
    assert b"50,000.00" in total


# -- cost of a save ---------------------------------------------------------------------------------


# Session, user, memberships and staff roles in one query (the scope), the file, its budget (the
# form's saved lines), the partners typed; then the service: savepoint, one locked read, saved
# partners and lines, the update, the history row, release. Before: 33, with three locks and four
# checks.
QUERIES_OF_A_DRAFT_SAVE = 13


def test_saving_a_draft_on_the_web_runs_a_fixed_number_of_queries(django_assert_num_queries):
    application = GrantApplicationFactory()
    partner = application.partners.get()
    client = applicant_client(application)
    client.get(edit_url(application))
    data = draft_data(partner.enterprise_number, initial=2, title="Counted")

    with django_assert_num_queries(QUERIES_OF_A_DRAFT_SAVE):
        response = client.post(edit_url(application), data)

    assert response.status_code == 302


# -- the history ------------------------------------------------------------------------------------


def test_a_draft_save_leaves_a_history_row_naming_the_fields_changed():
    application = GrantApplicationFactory()
    partner = application.partners.get()

    applicant_client(application).post(
        edit_url(application), draft_data(partner.enterprise_number, initial=2, title="Renamed")
    )

    (row,) = history(application)
    assert row.transition == "draft_saved"
    assert "title" in row.parameters["fields"]


def test_the_file_page_shows_the_draft_and_document_rows_with_their_labels():
    application = GrantApplicationFactory()
    client = applicant_client(application)
    client.post(
        edit_url(application), with_file(draft_data(initial=2), pdf_upload("statuts.pdf"), upload="1")
    )

    page = client.get(application.get_absolute_url())

    rows = page.content.split(b'id="history"')[1]
    assert b"Draft saved: description, expected effects on the public" in rows
    assert "Document uploaded: Statutes – statuts.pdf (version 1)".encode() in rows


def test_the_history_names_a_replacement_and_a_deletion():
    application = GrantApplicationFactory()
    client = applicant_client(application)
    client.post(edit_url(application), with_file(draft_data(initial=2), pdf_upload("v1.pdf"), upload="1"))
    first = Document.objects.get()
    client.post(
        f"/grants/applications/{application.pk}/documents/",
        {"document_type": "statutes", "content": pdf_upload("v2.pdf"), "replaces": first.pk},
    )
    second = Document.objects.latest("pk")
    client.post(edit_url(application), draft_data(initial=2, delete_document=str(second.pk)))

    events = [row.transition for row in history(application)]
    assert events[-2:] == ["document_replaced", "document_deleted"]


def test_an_applicant_of_another_organisation_cannot_save_the_draft():
    application = empty_draft()
    stranger = signed_in(applicant(OrganisationFactory(), **ENGLISH))

    response = stranger.post(edit_url(application), draft_data())

    assert response.status_code == 404
    assert GrantApplication.objects.get().description == ""


def test_budget_data_without_lines_leaves_the_budget_alone():
    application = GrantApplicationFactory()
    partner = application.partners.get()
    data = {**draft_data(partner.enterprise_number), **budget_data([], 0)}

    applicant_client(application).post(edit_url(application), data)

    assert application.budget_lines.count() == 2


# -- the shared document pages, wired by grants ----------------------------------------------------


def upload_url(application) -> str:
    return f"/grants/applications/{application.pk}/documents/"


def test_a_document_of_another_file_is_not_downloaded_through_this_file():
    mine = GrantApplicationFactory()
    client = applicant_client(mine)
    other = GrantApplicationFactory(lead_organisation=mine.lead_organisation)
    client.post(upload_url(other), {"document_type": "statutes", "content": pdf_upload()})

    response = client.get(f"{upload_url(mine)}{Document.objects.get().pk}/")

    assert response.status_code == 404


def test_the_upload_page_goes_back_to_a_safe_next_address():
    application = GrantApplicationFactory()
    next_url = f"{edit_url(application)}#documents"

    response = applicant_client(application).post(
        upload_url(application), {"document_type": "statutes", "content": pdf_upload(), "next": next_url}
    )

    assert response.url == next_url


def test_the_upload_page_ignores_a_next_address_on_another_site():
    application = GrantApplicationFactory()

    response = applicant_client(application).post(
        upload_url(application),
        {"document_type": "statutes", "content": pdf_upload(), "next": "https://evil.example/"},
    )

    assert response.url == f"{edit_url(application)}#documents"


def test_partner_members_may_not_upload_documents():
    partner = OrganisationFactory()
    application = GrantApplicationFactory(partners=[partner])

    response = signed_in(applicant(partner, **ENGLISH)).get(upload_url(application))

    assert response.status_code == 403
