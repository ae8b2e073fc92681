"""Grant races with real parallel PostgreSQL connections (skipped on SQLite, which has no row locks)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import Conflict
from grants.models import GrantApplication
from grants.selectors import envelopes_with_budget
from grants.workflow import State
from tests.factories import applicant, staff
from tests.grants.factories import CallFactory, GrantApplicationFactory, act, advance_to, ready_for_decision
from tests.parallel import run_in_parallel

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

AWARD = Decimal("35000.00")


def files_under_review(count: int, envelope: Decimal):
    """`count` files under review on one call whose Cocof envelope is `envelope`, each with its approver."""
    call = CallFactory(envelopes={"cocof": envelope})
    return call, [ready_for_decision(call=call) for _ in range(count)]


def approve_in_parallel(files) -> list:
    return run_in_parallel(
        len(files),
        lambda i: act(files[i][0], "approve", files[i][1].approver, awarded_amount=str(AWARD)),
    )


def committed_on_cocof(call) -> Decimal:
    return next(e.committed for e in envelopes_with_budget(call) if e.administration.code == "cocof")


def test_of_two_simultaneous_approvals_on_an_envelope_for_one_only_one_wins(reference_data):
    call, files = files_under_review(2, envelope=Decimal("50000.00"))

    results = approve_in_parallel(files)

    winners = [result for result in results if isinstance(result, GrantApplication)]
    refusals = [result for result in results if isinstance(result, Conflict)]
    assert len(winners) == 1
    assert [refusal.code for refusal in refusals] == ["envelope_exhausted"]
    assert committed_on_cocof(call) == AWARD


def test_the_loser_of_an_approval_race_stays_under_review(reference_data):
    call, files = files_under_review(2, envelope=Decimal("50000.00"))

    approve_in_parallel(files)

    states = sorted(GrantApplication.objects.filter(call=call).values_list("state", flat=True))
    assert states == [State.APPROVED, State.UNDER_REVIEW]


def test_six_simultaneous_approvals_on_an_envelope_for_four_approve_exactly_four(reference_data):
    call, files = files_under_review(6, envelope=AWARD * 4)

    results = approve_in_parallel(files)

    assert sum(isinstance(result, GrantApplication) for result in results) == 4
    assert [result.code for result in results if isinstance(result, Exception)] == ["envelope_exhausted"] * 2
    assert GrantApplication.objects.filter(call=call, state=State.APPROVED).count() == 4
    assert committed_on_cocof(call) == AWARD * 4


def test_of_two_officers_screening_the_same_file_at_once_one_gets_a_conflict(reference_data):
    application = advance_to(GrantApplicationFactory(), State.SUBMITTED)
    officers = [staff("officer"), staff("officer")]

    results = run_in_parallel(2, lambda i: act(application, "start_screening", officers[i]))

    winners = [result for result in results if isinstance(result, GrantApplication)]
    conflicts = [result for result in results if isinstance(result, Conflict)]
    assert len(winners) == 1
    assert [conflict.status_code for conflict in conflicts] == [409]
    assert GrantApplication.objects.get(pk=application.pk).screened_by == winners[0].screened_by


def test_parallel_submissions_of_different_files_get_consecutive_unique_references(reference_data):
    call = CallFactory()
    applications = [GrantApplicationFactory(call=call) for _ in range(6)]
    members = [applicant(application.lead_organisation) for application in applications]

    results = run_in_parallel(6, lambda i: act(applications[i], "submit", members[i]))

    year = timezone.localdate().year
    assert sorted(result.reference for result in results) == [f"MUT-{year}-{n:05d}" for n in range(1, 7)]
