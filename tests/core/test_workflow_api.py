"""The generic REST endpoints every file type gets: transitions, perform, history, documents."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from core.workflow import perform_transition
from tests.factories import SampleFileFactory, applicant, staff

pytestmark = pytest.mark.django_db


def url(file, suffix=""):
    return f"/api/v1/test/samples/{file.pk}/{suffix}"


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(100, 750, "Statuts")
    pdf.save()
    return buffer.getvalue()


def test_transitions_lists_name_label_target_and_parameters(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant(file.organisation))

    response = api_client.get(url(file, "transitions/"))

    assert response.status_code == 200
    submit = next(item for item in response.json() if item["name"] == "submit")
    assert submit["target"] == "submitted"
    assert submit["parameters"] == [
        {"name": "comment", "label": "Comment", "type": "textarea", "required": False}
    ]


def test_the_approve_transition_describes_its_amount_parameter(api_client):
    file = SampleFileFactory()
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))
    perform_transition(file=file, name="start_screening", acting_user=staff("officer"))
    api_client.force_authenticate(staff("approver"))

    response = api_client.get(url(file, "transitions/"))

    approve = next(item for item in response.json() if item["name"] == "approve")
    assert {"name": "amount", "label": "Amount", "type": "decimal", "required": True} in approve["parameters"]


def test_performing_a_transition_answers_the_updated_file(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant(file.organisation))

    response = api_client.post(url(file, "transitions/submit/"), {"comment": "Here it is"}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    assert response.json()["reference"].startswith("TST-")


def test_a_refused_role_gets_403_with_a_reason_and_code(api_client):
    file = SampleFileFactory()
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))
    api_client.force_authenticate(applicant(file.organisation))

    response = api_client.post(url(file, "transitions/start_screening/"), {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"


def test_a_wrong_state_gets_409(api_client):
    file = SampleFileFactory()
    user = applicant(file.organisation)
    api_client.force_authenticate(user)
    api_client.post(url(file, "transitions/submit/"), {}, format="json")

    response = api_client.post(url(file, "transitions/submit/"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_bad_parameters_get_400_with_field_errors(api_client):
    file = SampleFileFactory()
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))
    perform_transition(file=file, name="start_screening", acting_user=staff("officer"))
    api_client.force_authenticate(staff("approver"))

    response = api_client.post(url(file, "transitions/approve/"), {"amount": "lots"}, format="json")

    assert response.status_code == 400
    assert "amount" in response.json()["errors"]


def test_an_ineligible_submission_gets_400_listing_the_failing_rules(api_client):
    file = SampleFileFactory()
    file.organisation.legal_form = "company"
    file.organisation.save()
    api_client.force_authenticate(applicant(file.organisation))

    response = api_client.post(url(file, "transitions/submit/"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "not_eligible"
    assert len(response.json()["errors"]["eligibility"]) == 1


def test_history_lists_every_transition_in_order(api_client):
    file = SampleFileFactory()
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))
    officer = staff("officer")
    perform_transition(file=file, name="start_screening", acting_user=officer)
    api_client.force_authenticate(officer)

    response = api_client.get(url(file, "history/"))

    assert [entry["transition"] for entry in response.json()] == ["submit", "start_screening"]
    assert response.json()[1]["actor"] == officer.email


def test_a_file_outside_scope_answers_404_on_every_workflow_endpoint(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant())

    assert api_client.get(url(file, "transitions/")).status_code == 404
    assert api_client.post(url(file, "transitions/submit/"), {}, format="json").status_code == 404
    assert api_client.get(url(file, "history/")).status_code == 404
    assert api_client.get(url(file, "documents/")).status_code == 404


def test_an_applicant_uploads_a_typed_document_checked_by_content(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant(file.organisation))

    response = api_client.post(
        url(file, "documents/"),
        {"document_type": "statutes", "file": SimpleUploadedFile("statuts.pdf", pdf_bytes())},
        format="multipart",
    )

    assert response.status_code == 201
    assert response.json()["media_type"] == "application/pdf"
    assert response.json()["version"] == 1


def test_a_text_file_named_pdf_is_refused_with_a_field_error(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant(file.organisation))

    response = api_client.post(
        url(file, "documents/"),
        {"document_type": "statutes", "file": SimpleUploadedFile("statuts.pdf", b"just text")},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_a_replacement_becomes_version_two_and_both_versions_are_listed(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant(file.organisation))
    first = api_client.post(
        url(file, "documents/"),
        {"document_type": "budget", "file": SimpleUploadedFile("budget.pdf", pdf_bytes())},
        format="multipart",
    ).json()

    second = api_client.post(
        url(file, "documents/"),
        {
            "document_type": "budget",
            "file": SimpleUploadedFile("budget-v2.pdf", pdf_bytes()),
            "replaces": first["id"],
        },
        format="multipart",
    ).json()

    assert second["version"] == 2
    assert second["series"] == first["series"]
    assert len(api_client.get(url(file, "documents/")).json()) == 2


def test_officers_may_read_but_not_upload_documents(api_client):
    file = SampleFileFactory()
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))
    api_client.force_authenticate(staff("officer"))

    response = api_client.post(
        url(file, "documents/"),
        {"document_type": "other", "file": SimpleUploadedFile("note.pdf", pdf_bytes())},
        format="multipart",
    )

    assert response.status_code == 403
    assert api_client.get(url(file, "documents/")).status_code == 200


def test_a_document_downloads_with_its_original_name(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant(file.organisation))
    document = api_client.post(
        url(file, "documents/"),
        {"document_type": "statutes", "file": SimpleUploadedFile("statuts.pdf", pdf_bytes())},
        format="multipart",
    ).json()

    response = api_client.get(url(file, f"documents/{document['id']}/download/"))

    assert response.status_code == 200
    assert 'filename="statuts.pdf"' in response["Content-Disposition"]
