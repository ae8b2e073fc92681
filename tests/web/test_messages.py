"""The messages page of a file: scope (404), the thread's members (403), errors next to the field
with nothing typed lost, attachments served only to who may read them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import messaging
from core.models import Message
from grants.states import State
from tests.factories import OrganisationFactory, applicant, staff
from tests.grants.factories import application_in, pdf_upload

pytestmark = pytest.mark.django_db

ENGLISH = {"preferred_language": "en"}


@pytest.fixture
def file_and_cast():
    application, cast = application_in(State.SCREENING)
    for person in (cast.applicant, cast.officer):
        person.preferred_language = "en"
        person.save()
    return application, cast


def url(application) -> str:
    return f"/grants/applications/{application.pk}/messages/"


def test_an_applicant_sends_a_message_with_an_attachment_and_sees_it_in_the_thread(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.applicant)

    response = client.post(
        url(application), {"body": "Voici nos statuts.", "attachments": [pdf_upload("statuts.pdf")]}
    )

    assert response.status_code == 302
    page = client.get(url(application)).content.decode()
    assert "Voici nos statuts." in page and "statuts.pdf" in page


def test_the_file_page_shows_how_many_messages_are_unread(client_for, file_and_cast):
    application, cast = file_and_cast
    messaging.post_message(file=application, acting_user=cast.officer, body="Question 1")
    messaging.post_message(file=application, acting_user=cast.officer, body="Question 2")

    page = client_for(cast.applicant).get(application.get_absolute_url()).content.decode()

    assert 'data-unread="2"' in page


def test_reading_the_thread_shows_the_author_that_it_was_read(client_for, file_and_cast):
    application, cast = file_and_cast
    messaging.post_message(file=application, acting_user=cast.officer, body="Question")
    client_for(cast.applicant).get(url(application))

    page = client_for(cast.officer).get(url(application)).content.decode()

    assert "Read by" in page and (cast.applicant.get_full_name() or cast.applicant.email) in page


def test_an_empty_message_is_refused_next_to_the_field_and_the_other_choices_are_kept(
    client_for, file_and_cast
):
    application, cast = file_and_cast

    response = client_for(cast.officer).post(url(application), {"body": "", "internal": "on"})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_body_errors" role="alert"><li>This field is required.</li>' in page
    assert '<input type="checkbox" name="internal" id="id_internal" checked>' in page
    assert not Message.objects.exists()


def test_a_refused_attachment_keeps_the_typed_text(client_for, file_and_cast):
    application, cast = file_and_cast
    fake = SimpleUploadedFile("budget.pdf", b"plain text", content_type="application/pdf")

    response = client_for(cast.applicant).post(
        url(application), {"body": "Mon long message", "attachments": [fake]}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "budget.pdf: " in page
    assert "Mon long message</textarea>" in page


def test_an_applicant_does_not_see_the_internal_note_checkbox(client_for, file_and_cast):
    application, cast = file_and_cast

    page = client_for(cast.applicant).get(url(application)).content.decode()

    assert 'name="internal"' not in page


def test_a_partner_s_member_gets_403_on_the_messages(client_for, file_and_cast):
    application, cast = file_and_cast
    partner = OrganisationFactory()
    application.partners.add(partner)

    assert client_for(applicant(partner, **ENGLISH)).get(url(application)).status_code == 403


@pytest.mark.parametrize("outsider", ["other applicant", "officer of the other administration"])
def test_someone_outside_the_file_gets_404_on_its_messages_and_attachments(
    client_for, file_and_cast, outsider
):
    application, cast = file_and_cast
    message = messaging.post_message(
        file=application, acting_user=cast.applicant, body="x", attachments=[pdf_upload("a.pdf")]
    )
    person = (
        applicant(**ENGLISH) if outsider == "other applicant" else staff("officer", "iriscare", **ENGLISH)
    )
    client = client_for(person)

    assert client.get(url(application)).status_code == 404
    attachment = message.attachments.get()
    assert client.get(f"{url(application)}attachments/{attachment.pk}/").status_code == 404


def test_a_note_s_attachment_is_404_for_the_applicant_and_served_to_staff(client_for, file_and_cast):
    application, cast = file_and_cast
    note = messaging.post_message(
        file=application,
        acting_user=cast.officer,
        body="note",
        internal=True,
        attachments=[pdf_upload("n.pdf")],
    )
    attachment_url = f"{url(application)}attachments/{note.attachments.get().pk}/"

    assert client_for(cast.applicant).get(attachment_url).status_code == 404
    assert client_for(staff("approver", **ENGLISH)).get(attachment_url).status_code == 200


def test_a_draft_has_no_thread_yet(client_for):
    application, cast = application_in(State.DRAFT)
    cast.applicant.preferred_language = "en"
    cast.applicant.save()

    page = client_for(cast.applicant).get(url(application)).content.decode()

    assert 'id="post-refusal"' in page and "once the file is submitted" in page
