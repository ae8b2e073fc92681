"""The demo grant files (SPEC §8): every state to try, both administrations, loaded once."""

import io

import pytest
from django.core.management import call_command

from core.models import HistoryEntry, PaymentOrder
from grants.demo import DEMO_STATES, FILES
from grants.models import Call, Envelope, GrantApplication, Review
from grants.workflow import State

pytestmark = pytest.mark.django_db

LISTED_STATES = {
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.INFORMATION_REQUESTED,
    State.UNDER_REVIEW,
    State.APPROVED,
    State.IN_PROGRESS,
    State.FINAL_REPORT_SUBMITTED,
    State.CLOSED,
    State.REJECTED,
    State.WITHDRAWN,
}


def load() -> None:
    call_command("load_demo_data", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Call, Envelope, GrantApplication, Review, PaymentOrder, HistoryEntry)
    }


@pytest.fixture
def demo():
    load()


def test_loading_the_demo_data_twice_creates_the_grant_files_once():
    load()
    first = counts()

    load()

    assert counts() == first
    assert first["GrantApplication"] == len(FILES)
    assert first["Call"] == 2


def test_the_demo_files_reach_every_listed_state(demo):
    states = set(GrantApplication.objects.values_list("state", flat=True))

    assert states >= LISTED_STATES
    assert states == DEMO_STATES


def test_both_administrations_have_demo_files_beyond_submission(demo):
    for code in ("cocof", "iriscare"):
        states = set(
            GrantApplication.objects.filter(administration__code=code).values_list("state", flat=True)
        )
        assert {State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED, State.IN_PROGRESS} <= states, code


def test_the_open_call_has_the_envelopes_of_the_demo(demo):
    call = Call.objects.get(title_fr="Appel à projets mutualisation 2026")

    assert call.title_nl == "Oproep mutualiseringsprojecten 2026"
    assert call.is_open
    assert dict(call.envelopes.values_list("administration__code", "amount")) == {
        "cocof": 600000,
        "iriscare": 400000,
    }
    assert (call.max_amount_per_application, call.advance_percentage, call.required_documents) == (
        150000,
        70,
        [],
    )
    assert not Call.objects.get(title_fr="Appel à projets mutualisation 2025").is_open


def test_every_demo_decision_respects_the_four_eyes_rule(demo):
    for application in GrantApplication.objects.exclude(decided_at=None):
        decision = (
            HistoryEntry.objects.for_file(application).filter(transition__in=["approve", "reject"]).get()
        )
        reviewers = list(application.reviews.values_list("reviewer_id", flat=True))
        assert decision.actor_id != application.screened_by_id
        assert reviewers != [decision.actor_id]


def test_the_mentor_organisations_grant_is_closed_with_a_balance_order(demo):
    closed = GrantApplication.objects.get(state=State.CLOSED)
    orders = PaymentOrder.objects.filter(object_id=closed.pk, file_reference=closed.reference)

    assert closed.lead_organisation.name_fr == "Collectif Compta Partagée"
    assert sorted(orders.values_list("kind", flat=True)) == [
        PaymentOrder.Kind.GRANT_ADVANCE,
        PaymentOrder.Kind.GRANT_BALANCE,
    ]


def test_the_two_applicant_organisations_share_no_file(demo):
    first = GrantApplication.objects.filter(lead_organisation__enterprise_number="0412345614")
    other = GrantApplication.objects.filter(lead_organisation__enterprise_number="0423456765")

    assert not first.filter(partners__enterprise_number="0423456765").exists()
    assert not other.filter(partners__enterprise_number="0412345614").exists()
    assert first.exists() and other.exists()


def test_the_demo_has_a_conversation_with_an_internal_note_on_a_file_awaiting_information(demo):
    from core.models import Message

    (application,) = GrantApplication.objects.filter(state=State.INFORMATION_REQUESTED)
    messages = list(Message.objects.for_file(application))

    assert [(message.from_administration, message.internal) for message in messages] == [
        (True, False),
        (False, False),
        (True, True),
    ]
