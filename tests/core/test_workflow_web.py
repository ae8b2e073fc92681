"""The shared web view that performs a transition from a form, and the actions/history panel."""

import pytest

from core.workflow import perform_transition
from tests.factories import SampleFileFactory, applicant, staff

pytestmark = pytest.mark.django_db


def submitted_file():
    file = SampleFileFactory()
    return perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))


def test_the_file_page_offers_the_applicant_the_actions_they_may_perform(client):
    file = SampleFileFactory()
    client.force_login(applicant(file.organisation))

    page = client.get(file.get_absolute_url())

    assert page.status_code == 200
    assert b'data-transition="submit"' in page.content
    assert b'data-transition="start_screening"' not in page.content


def test_posting_a_transition_performs_it_and_redirects_to_the_file(client):
    file = SampleFileFactory()
    client.force_login(applicant(file.organisation))

    response = client.post(f"{file.get_absolute_url()}transitions/submit/")

    assert response.status_code == 302
    file.refresh_from_db()
    assert file.state == "submitted"


def test_the_history_panel_shows_each_transition_by_its_label(client):
    file = submitted_file()
    client.force_login(staff("officer"))

    page = client.get(file.get_absolute_url())

    assert b'id="history"' in page.content
    assert b"Submit" in page.content


def test_a_transition_the_user_may_not_perform_answers_403(client):
    file = submitted_file()
    client.force_login(applicant(file.organisation))

    response = client.post(f"{file.get_absolute_url()}transitions/start_screening/")

    assert response.status_code == 403


def test_a_file_outside_the_users_scope_answers_404(client):
    file = submitted_file()
    client.force_login(staff("officer", "iriscare"))

    assert client.get(file.get_absolute_url()).status_code == 404
    assert client.post(f"{file.get_absolute_url()}transitions/start_screening/").status_code == 404


def test_a_missing_required_comment_is_shown_next_to_the_field_and_nothing_changes(client):
    file = submitted_file()
    officer = staff("officer")
    perform_transition(file=file, name="start_screening", acting_user=officer)
    client.force_login(officer)

    response = client.post(f"{file.get_absolute_url()}transitions/request_information/", {"comment": ""})

    assert response.status_code == 400
    assert b'id="id_comment_errors"' in response.content
    file.refresh_from_db()
    assert file.state == "screening"


def test_a_transition_in_the_wrong_state_redirects_back_with_an_explanation(client):
    file = submitted_file()
    client.force_login(applicant(file.organisation))

    response = client.post(f"{file.get_absolute_url()}transitions/resubmit/", follow=True)

    assert response.redirect_chain[-1][0] == file.get_absolute_url()
    assert "message-error" in response.content.decode()


def test_an_invalid_parameter_keeps_the_entered_comment(client):
    file = submitted_file()
    perform_transition(file=file, name="start_screening", acting_user=staff("officer"))
    client.force_login(staff("approver"))

    response = client.post(
        f"{file.get_absolute_url()}transitions/approve/", {"amount": "-5", "comment": "Well argued"}
    )

    assert response.status_code == 400
    assert b'id="id_amount_errors"' in response.content
    assert b"Well argued" in response.content


def test_officers_see_the_eligibility_snapshot_taken_at_submission(client):
    file = submitted_file()
    client.force_login(staff("officer"))

    page = client.get(file.get_absolute_url()).content.decode()

    assert 'data-rule="recognition" data-status="pass"' in page
    assert 'data-rule="legal_form" data-status="pass"' in page
