"""Mentor status: automatic when the organisation's grant is closed, otherwise on evidence approved
by an officer; suspended and restored by officers; `Organisation.is_mentor` follows it."""

import pytest

from core.exceptions import InvalidInput, NotPermitted
from core.models import HistoryEntry
from peer_mentoring import services
from peer_mentoring.choices import MentorSource
from peer_mentoring.models import Mentor
from peer_mentoring.states import MentorApplicationState, MentorState
from tests.factories import RecognitionFactory, applicant, staff
from tests.grants.factories import GrantApplicationFactory, advance_to

pytestmark = pytest.mark.django_db


def events_of(organisation) -> list[str]:
    return list(HistoryEntry.objects.for_file(organisation).values_list("transition", flat=True))


def test_closing_a_grant_makes_its_lead_a_mentor_with_a_history_row():
    grant = advance_to(GrantApplicationFactory(), "closed")

    mentor = Mentor.objects.get(organisation=grant.lead_organisation)
    grant.lead_organisation.refresh_from_db()
    assert (mentor.source, mentor.grant, mentor.state) == (
        MentorSource.CLOSED_GRANT,
        grant,
        MentorState.ACTIVE,
    )
    assert grant.lead_organisation.is_mentor
    assert "mentor_status_granted" in events_of(grant.lead_organisation)


def test_a_grant_in_progress_does_not_make_a_mentor():
    grant = advance_to(GrantApplicationFactory(), "in_progress")

    assert not Mentor.objects.filter(organisation=grant.lead_organisation).exists()


def test_an_application_with_evidence_approved_by_an_officer_makes_a_mentor():
    organisation = RecognitionFactory().organisation
    application = services.apply_for_mentor_status(
        organisation=organisation,
        acting_user=applicant(organisation),
        evidence="We pooled our accounting in 2022.",
    )

    services.decide_mentor_application(application=application, acting_user=staff("officer"), approve=True)

    organisation.refresh_from_db()
    assert organisation.is_mentor
    assert organisation.mentor.source == MentorSource.APPLICATION


def test_a_refusal_needs_a_reason_and_makes_no_mentor():
    organisation = RecognitionFactory().organisation
    application = services.apply_for_mentor_status(
        organisation=organisation, acting_user=applicant(organisation), evidence="A shared van."
    )
    with pytest.raises(InvalidInput):
        services.decide_mentor_application(
            application=application, acting_user=staff("officer"), approve=False
        )

    application = services.decide_mentor_application(
        application=application, acting_user=staff("officer"), approve=False, reason="No completed pooling."
    )

    assert application.state == MentorApplicationState.REFUSED
    assert not Mentor.objects.filter(organisation=organisation).exists()


def test_officers_of_another_administration_cannot_decide_an_application():
    organisation = RecognitionFactory().organisation  # Cocof
    application = services.apply_for_mentor_status(
        organisation=organisation, acting_user=applicant(organisation), evidence="A shared van."
    )

    with pytest.raises(NotPermitted):
        services.decide_mentor_application(
            application=application, acting_user=staff("officer", "iriscare"), approve=True
        )


def test_a_suspended_mentor_loses_the_flag_and_gets_it_back_when_restored():
    organisation = RecognitionFactory().organisation
    mentor = services.grant_mentor_status(organisation=organisation, source=MentorSource.APPLICATION)
    officer = staff("officer")

    services.set_mentor_state(
        mentor=mentor, state=MentorState.SUSPENDED, acting_user=officer, reason="Complaint"
    )
    organisation.refresh_from_db()
    assert not organisation.is_mentor

    services.set_mentor_state(mentor=mentor, state=MentorState.ACTIVE, acting_user=officer, reason="Cleared")
    organisation.refresh_from_db()
    assert organisation.is_mentor
    assert events_of(organisation)[-2:] == ["mentor_status_suspended", "mentor_status_restored"]


def test_applicants_cannot_suspend_a_mentor():
    organisation = RecognitionFactory().organisation
    mentor = services.grant_mentor_status(organisation=organisation, source=MentorSource.APPLICATION)

    with pytest.raises(NotPermitted):
        services.set_mentor_state(
            mentor=mentor, state=MentorState.SUSPENDED, acting_user=applicant(organisation), reason="x"
        )
