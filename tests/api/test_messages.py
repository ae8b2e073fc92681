"""`messages/` on the grant files' API: the same decisions as the web, one error shape."""

import pytest

from core import messaging
from grants.states import State
from tests.factories import OrganisationFactory, applicant, staff
from tests.grants.factories import application_in, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_and_cast():
    return application_in(State.SCREENING)


def url(application) -> str:
    return f"/api/v1/grants/applications/{application.pk}/messages/"


def test_an_officer_posts_a_message_as_json_and_gets_it_back(client_for, file_and_cast):
    application, cast = file_and_cast

    response = client_for(cast.officer).post(url(application), {"body": "Une question"}, format="json")

    assert response.status_code == 201
    assert response.json() | {"id": 0, "sent_at": ""} == {
        "id": 0,
        "author": cast.officer.email,
        "from_administration": True,
        "internal": False,
        "body": "Une question",
        "sent_at": "",
        "attachments": [],
        "receipts": [],
    }


def test_an_applicant_posts_attachments_as_multipart_and_downloads_one(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.applicant)

    response = client.post(
        url(application),
        {"body": "Ci-joint", "attachments": [pdf_upload("a.pdf"), pdf_upload("b.pdf")]},
        format="multipart",
    )

    assert response.status_code == 201
    names = [attachment["original_name"] for attachment in response.json()["attachments"]]
    assert names == ["a.pdf", "b.pdf"]
    first = response.json()["attachments"][0]["id"]
    download = client.get(f"{url(application)}attachments/{first}/", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_reading_the_messages_records_a_receipt_the_author_then_sees(client_for, file_and_cast):
    application, cast = file_and_cast
    messaging.post_message(file=application, acting_user=cast.officer, body="Question")
    client_for(cast.applicant).get(url(application))

    (message,) = client_for(cast.officer).get(url(application)).json()

    assert [receipt["reader"] for receipt in message["receipts"]] == [cast.applicant.email]


def test_an_empty_body_is_a_400_with_the_field_s_error(client_for, file_and_cast):
    application, cast = file_and_cast

    response = client_for(cast.applicant).post(url(application), {"body": ""}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["body"]


def test_an_applicant_asking_for_an_internal_note_gets_403(client_for, file_and_cast):
    application, cast = file_and_cast

    response = client_for(cast.applicant).post(
        url(application), {"body": "x", "internal": True}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (403, "notes_are_for_staff")


def test_a_partner_s_member_gets_403_and_an_outsider_404(client_for, file_and_cast):
    application, cast = file_and_cast
    partner = OrganisationFactory()
    application.partners.add(partner)

    assert client_for(applicant(partner)).get(url(application)).status_code == 403
    assert client_for(applicant()).get(url(application)).status_code == 404
    assert client_for(staff("officer", "iriscare")).get(url(application)).status_code == 404


def test_the_applicant_s_list_of_messages_leaves_the_notes_out(client_for, file_and_cast):
    application, cast = file_and_cast
    messaging.post_message(file=application, acting_user=cast.officer, body="note", internal=True)
    messaging.post_message(file=application, acting_user=cast.officer, body="message")

    assert [m["body"] for m in client_for(cast.applicant).get(url(application)).json()] == ["message"]
    assert [m["body"] for m in client_for(cast.officer).get(url(application)).json()] == ["note", "message"]
