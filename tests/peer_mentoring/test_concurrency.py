"""The hours cap under simultaneous submissions, with real parallel PostgreSQL connections
(skipped on SQLite, which has no row locks)."""

from datetime import date, timedelta

import pytest

from core.exceptions import InvalidInput
from peer_mentoring.models import HoursDeclaration
from peer_mentoring.services import hours_counted
from peer_mentoring.states import AgreementState, DeclarationState
from tests.parallel import run_in_parallel

from .factories import act, agreement_in, declaration_in, last_month

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def test_of_two_declarations_submitted_at_once_that_together_exceed_the_cap_only_one_passes(reference_data):
    agreement, cast = agreement_in(
        AgreementState.ACTIVE, cap="10", starts_on=date.today() - timedelta(days=120)
    )
    drafts = [
        declaration_in(DeclarationState.DRAFT, agreement, cast, month=last_month(), hours=("3", "3")),
        declaration_in(
            DeclarationState.DRAFT, agreement, cast, month=previous_month(last_month()), hours=("3", "3")
        ),
    ]

    results = run_in_parallel(2, lambda i: act(drafts[i], "submit", cast.mentor))

    winners = [result for result in results if isinstance(result, HoursDeclaration)]
    refusals = [result for result in results if isinstance(result, InvalidInput)]
    assert len(winners) == 1
    assert [refusal.code for refusal in refusals] == ["hours_cap_exceeded"]
    assert hours_counted(agreement.pk) == 6
    states = sorted(HoursDeclaration.objects.filter(agreement=agreement).values_list("state", flat=True))
    assert states == [DeclarationState.DRAFT, DeclarationState.SUBMITTED]
