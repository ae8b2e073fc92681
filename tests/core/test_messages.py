"""Messages on a file between its acting parties and its administration, and internal notes that
the applicant never receives through any page, API call, export, history row or e-mail."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import messaging
from core.exceptions import NotPermitted
from core.models import HistoryEntry, MessageReceipt, Notification
from grants.states import State
from tests.factories import applicant, staff
from tests.grants.factories import application_in, pdf_upload

pytestmark = pytest.mark.django_db

NOTE = "Internal: the treasurer is the director's brother, check the partnership."


@pytest.fixture
def submitted():
    application, cast = application_in(State.SCREENING)
    return application, cast


def web(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_an_officer_s_message_reaches_the_lead_s_members_in_their_language(
    submitted, django_capture_on_commit_callbacks, mailoutbox
):
    application, cast = submitted
    dutch_member = applicant(application.lead_organisation, preferred_language="nl")

    with django_capture_on_commit_callbacks(execute=True):
        messaging.post_message(
            file=application, acting_user=cast.officer, body="Pouvez-vous préciser le budget ?"
        )

    (notification,) = Notification.objects.filter(recipient=dutch_member)
    assert notification.subject.startswith("Nieuw bericht van de administratie over")
    assert "Pouvez-vous préciser le budget ?" in notification.body
    assert notification.link == application.get_absolute_url() + "messages/"
    assert dutch_member.email in {address for message in mailoutbox for address in message.to}


def test_an_applicant_s_message_notifies_the_officers_of_the_file_s_administration(submitted):
    application, cast = submitted
    officer_elsewhere = staff("officer", "iriscare")

    messaging.post_message(file=application, acting_user=cast.applicant, body="Voici les statuts.")

    recipients = set(
        Notification.objects.values_list("recipient", flat=True).filter(
            subject__contains=application.reference
        )
    )
    assert cast.officer.pk in recipients
    assert officer_elsewhere.pk not in recipients


def test_a_message_is_in_the_file_s_history_with_its_author(submitted):
    application, cast = submitted

    message = messaging.post_message(file=application, acting_user=cast.applicant, body="Bonjour")

    entry = HistoryEntry.objects.for_file(application).get(transition="message_sent")
    assert (entry.actor, entry.parameters["message"], entry.staff_only) == (cast.applicant, message.pk, False)


def test_an_internal_note_notifies_no_one_and_its_history_row_is_for_staff_only(
    submitted, django_capture_on_commit_callbacks, mailoutbox
):
    application, cast = submitted
    before = Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        messaging.post_message(file=application, acting_user=cast.officer, body=NOTE, internal=True)

    assert Notification.objects.count() == before
    assert mailoutbox == []
    assert HistoryEntry.objects.for_file(application).get(transition="note_added").staff_only


def test_an_applicant_never_receives_an_internal_note_through_any_page_api_call_export_or_e_mail(
    submitted, django_capture_on_commit_callbacks, mailoutbox
):
    application, cast = submitted
    with django_capture_on_commit_callbacks(execute=True):
        messaging.post_message(
            file=application,
            acting_user=cast.officer,
            body=NOTE,
            internal=True,
            attachments=[pdf_upload("note-interne.pdf", "secret")],
        )
        messaging.post_message(file=application, acting_user=cast.officer, body="A question for you.")
    member = cast.applicant
    member.preferred_language = "en"
    member.save()
    pages = [
        web(member).get(url).content.decode()
        for url in (
            application.get_absolute_url(),
            application.get_absolute_url() + "messages/",
            "/grants/applications/",
            "/inbox/",
        )
    ]
    base = f"/api/v1/grants/applications/{application.pk}/"
    answers = [
        api(member).get(url).content.decode()
        for url in (base, base + "messages/", base + "history/", "/api/v1/notifications/")
    ]
    e_mails = [message.body + message.subject for message in mailoutbox]

    assert any("A question for you." in text for text in e_mails)  # the e-mails were sent
    everything = "\n".join(pages + answers + e_mails)
    assert "A question for you." in everything  # the message itself does reach them
    assert NOTE not in everything
    assert "note-interne.pdf" not in everything
    assert "note_added" not in everything
    assert "Internal note" not in everything


def test_the_administration_s_staff_reads_the_notes_with_the_messages(submitted):
    application, cast = submitted
    messaging.post_message(file=application, acting_user=cast.officer, body=NOTE, internal=True)
    colleague = staff("officer")

    assert [message.body for message in messaging.thread(application, colleague)] == [NOTE]


def test_an_applicant_may_not_write_an_internal_note(submitted):
    application, cast = submitted

    with pytest.raises(NotPermitted):
        messaging.post_message(file=application, acting_user=cast.applicant, body="Hidden?", internal=True)

    assert not messaging.thread(application, cast.officer).exists()


def test_a_partner_s_member_reads_the_file_but_not_its_messages(submitted):
    from tests.factories import OrganisationFactory

    application, cast = submitted
    partner = OrganisationFactory()
    application.partners.add(partner)

    assert not messaging.may_read_messages(application, applicant(partner))


def test_no_message_can_be_sent_on_a_draft():
    application, cast = application_in(State.DRAFT)

    decision = messaging.may_post_message(application, cast.applicant)

    assert (bool(decision), decision.status, decision.code) == (False, 409, "thread_not_open")


def test_an_empty_message_is_refused_next_to_its_field(submitted):
    application, cast = submitted

    with pytest.raises(ValidationError) as refusal:
        messaging.post_message(file=application, acting_user=cast.applicant, body="   ")

    assert refusal.value.message_dict == {"body": ["Write a message."]}


def test_an_attachment_that_is_not_what_it_claims_is_refused_with_its_name(submitted):
    application, cast = submitted
    fake = SimpleUploadedFile("budget.pdf", b"just some text, not a PDF", content_type="application/pdf")

    with pytest.raises(ValidationError) as refusal:
        messaging.post_message(
            file=application, acting_user=cast.applicant, body="See attached", attachments=[fake]
        )

    assert refusal.value.message_dict["attachments"][0].startswith("budget.pdf: ")


def test_opening_the_thread_marks_the_other_side_s_messages_read_once(submitted):
    application, cast = submitted
    message = messaging.post_message(file=application, acting_user=cast.officer, body="Question")

    for _ in range(2):
        messaging.mark_read(list(messaging.thread(application, cast.applicant)), cast.applicant)
    messaging.mark_read(list(messaging.thread(application, cast.officer)), cast.officer)

    assert list(MessageReceipt.objects.values_list("message", "reader")) == [(message.pk, cast.applicant.pk)]


def test_the_thread_costs_the_same_queries_however_long_it_is(submitted, django_assert_max_num_queries):
    application, cast = submitted
    for n in range(12):
        messaging.post_message(
            file=application,
            acting_user=cast.officer if n % 2 else cast.applicant,
            body=f"Message {n}",
            attachments=[pdf_upload(f"p{n}.pdf")] if n % 3 == 0 else [],
        )

    with django_assert_max_num_queries(4):
        thread = list(messaging.thread(application, cast.applicant))
        shown = [
            (
                message.author.email,
                [a.original_name for a in message.attachments.all()],
                [r.reader.email for r in message.receipts.all()],
            )
            for message in thread
        ]

    assert len(shown) == 12
