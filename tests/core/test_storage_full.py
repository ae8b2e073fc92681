"""A document storage that cannot take a file (a full disk): the upload is refused next to its field,
on the web and in the API, nothing is saved — no row, no history, no file — and what was typed stays."""

import errno

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import InMemoryStorage
from django.utils.translation import override
from rest_framework.test import APIClient

from accounts.models import Recognition
from accounts.services import add_recognition
from core import messaging
from core.documents import attach_document
from core.models import Document, HistoryEntry, Message, MessageAttachment
from grants.states import State
from tests.factories import RecognitionFactory, SampleFileFactory, UserFactory, applicant
from tests.grants.factories import Cast, GrantApplicationFactory, application_in, pdf_upload
from tests.grants.test_web import draft_data, edit_url, empty_draft, signed_in

pytestmark = pytest.mark.django_db

FULL = "The file could not be stored: the document storage is full or unavailable."


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(monkeypatch):
    monkeypatch.setattr(InMemoryStorage, "_save", _no_space)


@pytest.fixture
def disk_full_after_one_file(monkeypatch):
    """The first file fits, the next does not; returns the names stored and still there."""
    save = InMemoryStorage._save
    stored = []

    def save_once(self, name, content):
        if stored:
            _no_space()
        stored.append(save(self, name, content))
        return stored[-1]

    monkeypatch.setattr(InMemoryStorage, "_save", save_once)
    return stored


def test_a_document_that_cannot_be_stored_is_refused_and_leaves_no_row_or_history(full_disk):
    file = SampleFileFactory()

    with override("en"):  # the message in English, not in whichever language another test left active
        with pytest.raises(ValidationError) as refusal:
            attach_document(
                file=file, document_type="statutes", upload=pdf_upload(), acting_user=UserFactory()
            )
        message = refusal.value.messages[0]

    assert refusal.value.code == "document_not_stored"
    assert FULL in message
    assert not Document.objects.exists()
    assert not HistoryEntry.objects.filter(transition="document_uploaded").exists()


def test_an_object_store_that_refuses_the_file_is_the_same_refusal(monkeypatch):
    from botocore.exceptions import ClientError

    def refused(*args, **kwargs):
        raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "Slow down"}}, "PutObject")

    monkeypatch.setattr(InMemoryStorage, "_save", refused)

    with pytest.raises(ValidationError) as refusal:
        attach_document(
            file=SampleFileFactory(), document_type="statutes", upload=pdf_upload(), acting_user=UserFactory()
        )

    assert refusal.value.code == "document_not_stored"
    assert not Document.objects.exists()


def test_the_draft_page_says_so_next_to_the_file_and_keeps_what_was_typed(full_disk):
    application = empty_draft()
    client = signed_in(applicant(application.lead_organisation, preferred_language="en"))
    data = {
        **draft_data(description="Typed before uploading"),
        "document-document_type": "annual_accounts",
        "document-content": pdf_upload(),
        "upload": "1",
    }

    response = client.post(edit_url(application), data)

    assert response.status_code == 400
    assert b'id="id_document-content_errors"' in response.content
    assert FULL.encode() in response.content
    assert b"Typed before uploading" in response.content
    assert b'<option value="annual_accounts" selected>' in response.content
    assert not Document.objects.exists()


def test_the_api_answers_a_field_error_on_the_file(full_disk):
    application = GrantApplicationFactory()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(Cast(application).applicant)

    response = client.post(
        f"/api/v1/grants/applications/{application.pk}/documents/",
        {"document_type": "statutes", "file": pdf_upload()},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["file"][0]["code"] == "document_not_stored"
    assert not Document.objects.exists()


def test_a_message_whose_second_attachment_cannot_be_stored_leaves_no_message_and_no_file(
    disk_full_after_one_file,
):
    application, cast = application_in(State.SCREENING)

    with pytest.raises(ValidationError) as refusal:
        messaging.post_message(
            file=application,
            acting_user=cast.applicant,
            body="Voici nos statuts et nos comptes.",
            attachments=[pdf_upload("statuts.pdf"), pdf_upload("comptes.pdf")],
        )

    assert refusal.value.message_dict["attachments"][0].startswith(FULL)
    assert not Message.objects.exists()
    assert not MessageAttachment.objects.exists()
    (first,) = disk_full_after_one_file
    assert not InMemoryStorage().exists(first)  # the attachment stored before the failure is deleted


def test_a_recognition_whose_evidence_cannot_be_stored_is_refused_next_to_the_evidence(full_disk):
    organisation = RecognitionFactory().organisation
    admin = applicant(organisation)
    data = {
        field: getattr(RecognitionFactory.build(organisation=organisation), field)
        for field in (
            "authority",
            "joint_committee",
            "reference",
            "valid_from",
            "valid_until",
            "under_agreement",
        )
    }

    with pytest.raises(ValidationError) as refusal:
        add_recognition(
            acting_user=admin,
            organisation=organisation,
            data={**data, "evidence": pdf_upload("agrement.pdf")},
        )

    assert refusal.value.message_dict["evidence"][0].startswith(FULL)
    assert Recognition.objects.filter(organisation=organisation).count() == 1
