"""The PDF letters and the documents of an application answer the media type the schema declares,
also to a client that asks for it with `Accept`; their errors stay JSON."""

import pytest

from grants.workflow import State
from tests.grants.factories import Cast, GrantApplicationFactory, advance_to, pdf_upload

pytestmark = pytest.mark.django_db


def url(application, suffix="") -> str:
    return f"/api/v1/grants/applications/{application.pk}/{suffix}"


def test_the_receipt_is_served_to_a_client_that_accepts_only_pdf(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.SUBMITTED, cast)

    response = client_for(cast.applicant).get(url(application, "receipt/"), HTTP_ACCEPT="application/pdf")

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF")


def test_the_award_letter_is_served_to_a_client_that_accepts_only_pdf(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.APPROVED, cast)

    response = client_for(cast.applicant).get(
        url(application, "award-letter/"), HTTP_ACCEPT="application/pdf"
    )

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_a_refused_letter_answers_json_to_a_client_that_accepts_only_pdf(client_for):
    application = GrantApplicationFactory()

    response = client_for(Cast(application).applicant).get(
        url(application, "receipt/"), HTTP_ACCEPT="application/pdf"
    )

    assert (response.status_code, response["Content-Type"]) == (409, "application/json")
    assert response.json()["code"] == "no_receipt_yet"


def test_a_letter_asked_for_as_json_answers_406(client_for):
    cast = Cast(application := GrantApplicationFactory())
    application = advance_to(application, State.SUBMITTED, cast)

    response = client_for(cast.applicant).get(url(application, "receipt/"), HTTP_ACCEPT="application/json")

    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def uploaded_document(client, application) -> dict:
    response = client.post(
        url(application, "documents/"),
        {"document_type": "statutes", "file": pdf_upload()},
        format="multipart",
    )
    assert response.status_code == 201
    return response.json()


def test_a_pdf_document_downloads_for_a_client_that_accepts_only_pdf(client_for):
    application = GrantApplicationFactory()
    client = client_for(Cast(application).applicant)
    document = uploaded_document(client, application)

    response = client.get(
        url(application, f"documents/{document['id']}/download/"), HTTP_ACCEPT="application/pdf"
    )

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_a_pdf_document_asked_for_as_an_image_answers_406(client_for):
    application = GrantApplicationFactory()
    client = client_for(Cast(application).applicant)
    document = uploaded_document(client, application)

    response = client.get(url(application, f"documents/{document['id']}/download/"), HTTP_ACCEPT="image/png")

    assert (response.status_code, response["Content-Type"]) == (406, "application/json")


def test_an_unknown_document_answers_a_json_404_without_a_model_name(client_for):
    application = GrantApplicationFactory()

    response = client_for(Cast(application).applicant).get(
        url(application, "documents/999999/download/"), HTTP_ACCEPT="application/pdf"
    )

    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert "Document" not in response.json()["detail"]
