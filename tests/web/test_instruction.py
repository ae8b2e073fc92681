"""The instruction panel of a file page: assign, ask for reviews, declare a conflict of interest."""

import pytest

from core import instruction
from grants.states import State
from tests.factories import applicant, staff
from tests.grants.factories import application_in

pytestmark = pytest.mark.django_db

ENGLISH = {"preferred_language": "en"}


@pytest.fixture
def file_and_cast():
    application, cast = application_in(State.UNDER_REVIEW)
    for person in (cast.officer, cast.reviewer, cast.approver):
        person.preferred_language = "en"
        person.save()
    return application, cast


def url(application) -> str:
    return f"/grants/applications/{application.pk}/instruction/"


def test_an_officer_takes_a_file_and_the_page_and_the_queue_say_so(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.officer)

    response = client.post(url(application), {"action": "take"})

    assert response.status_code == 302
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Assigned to" in page and cast.officer.last_name in page
    mine = client.get("/work-queue/?assignment=mine").content.decode()
    assert application.reference in mine


def test_the_unassigned_queue_leaves_the_assigned_file_out(client_for, file_and_cast):
    application, cast = file_and_cast
    instruction.assign(file=application, acting_user=cast.officer, officer=cast.officer)

    page = client_for(cast.officer).get("/work-queue/?assignment=unassigned").content.decode()

    assert application.reference not in page


def test_an_approver_asks_two_officers_to_review(client_for, file_and_cast):
    application, cast = file_and_cast
    other = staff("officer", **ENGLISH)

    response = client_for(cast.approver).post(
        url(application), {"action": "request_reviews", "officers": [cast.reviewer.pk, other.pk]}
    )

    assert response.status_code == 302
    page = client_for(cast.approver).get(application.get_absolute_url()).content.decode()
    assert page.count("has not declared yet") == 2


def test_a_conflict_without_explanation_is_refused_next_to_the_field(client_for, file_and_cast):
    application, cast = file_and_cast

    response = client_for(cast.reviewer).post(url(application), {"action": "declare", "has_conflict": "yes"})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_explanation_errors"' in page and "Say briefly what links you to the organisation." in page
    assert (
        '<input type="radio" name="has_conflict" value="yes" required id="id_has_conflict_1" checked>' in page
    )


def test_a_declared_conflict_shows_on_the_page_and_hides_the_review_link(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.reviewer)

    client.post(url(application), {"action": "declare", "has_conflict": "yes", "explanation": "Board member"})

    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-conflict="yes"' in page
    assert 'id="review-link"' not in page


def test_declaring_no_conflict_opens_the_review(client_for, file_and_cast):
    application, cast = file_and_cast
    client = client_for(cast.reviewer)
    assert 'id="review-link"' not in client.get(application.get_absolute_url()).content.decode()

    client.post(url(application), {"action": "declare", "has_conflict": "no"})

    assert 'id="review-link"' in client.get(application.get_absolute_url()).content.decode()


def test_an_applicant_gets_403_and_an_outsider_404(client_for, file_and_cast):
    application, cast = file_and_cast

    assert (
        client_for(applicant(application.lead_organisation, **ENGLISH))
        .post(url(application), {"action": "take"})
        .status_code
        == 403
    )
    assert (
        client_for(staff("officer", "iriscare", **ENGLISH))
        .post(url(application), {"action": "take"})
        .status_code
        == 404
    )
