"""The demo mentoring data (SPEC §8): produced by the real transitions, every declaration state."""

import io

import pytest
from django.core.management import call_command

from core.models import PaymentOrder
from peer_mentoring.choices import MentorSource
from peer_mentoring.models import Agreement, HoursDeclaration, Mentor
from peer_mentoring.states import AgreementState, DeclarationState

pytestmark = pytest.mark.django_db


def load() -> None:
    call_command("load_demo_data", stdout=io.StringIO())


def test_the_demo_mentor_owes_its_status_to_its_closed_grant_and_the_second_to_its_evidence():
    load()

    sources = dict(Mentor.objects.values_list("organisation__enterprise_number", "source"))
    assert sources == {"0434567819": MentorSource.CLOSED_GRANT, "0423456765": MentorSource.APPLICATION}


def test_the_demo_has_agreements_in_several_states_and_declarations_in_every_state():
    load()

    agreement_states = set(Agreement.objects.values_list("state", flat=True))
    assert {
        AgreementState.DRAFT,
        AgreementState.PROPOSED,
        AgreementState.SUBMITTED,
        AgreementState.ACTIVE,
    } <= agreement_states
    assert {AgreementState.COMPLETED, AgreementState.REJECTED} <= agreement_states
    assert set(HoursDeclaration.objects.values_list("state", flat=True)) == set(DeclarationState.values)
    assert PaymentOrder.objects.filter(kind=PaymentOrder.Kind.MENTORING_COMPENSATION).count() == 1


def test_loading_the_demo_twice_creates_nothing_twice():
    load()
    before = (Agreement.objects.count(), HoursDeclaration.objects.count(), Mentor.objects.count())

    load()

    assert (Agreement.objects.count(), HoursDeclaration.objects.count(), Mentor.objects.count()) == before
