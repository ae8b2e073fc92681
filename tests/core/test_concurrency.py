"""Races with real parallel PostgreSQL connections (skipped on SQLite, where row locks do not exist)."""

import pytest
from django.db import transaction

from core.exceptions import Conflict
from core.references import allocate_reference
from core.workflow import perform_transition
from tests.factories import SampleFileFactory, applicant, staff
from tests.parallel import run_in_parallel

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_parallel_allocations_give_unique_gapless_references(reference_data):
    def allocate(_index):
        with transaction.atomic():
            return allocate_reference(prefix="TST", year=2026)

    references = run_in_parallel(8, allocate)

    assert sorted(references) == [f"TST-2026-{n:05d}" for n in range(1, 9)]


def test_a_rolled_back_allocation_under_concurrency_leaves_no_gap(reference_data):
    class RolledBack(Exception):
        pass

    def allocate(index):
        try:
            with transaction.atomic():
                reference = allocate_reference(prefix="GAP", year=2026)
                if index % 2:
                    raise RolledBack
                return reference
        except RolledBack:
            return None

    references = [r for r in run_in_parallel(6, allocate) if r]

    assert sorted(references) == [f"GAP-2026-{n:05d}" for n in range(1, 4)]


def test_parallel_submissions_of_different_files_get_distinct_consecutive_references(reference_data):
    files = [SampleFileFactory() for _ in range(5)]
    users = [applicant(file.organisation) for file in files]

    results = run_in_parallel(
        5, lambda i: perform_transition(file=files[i], name="submit", acting_user=users[i])
    )

    assert sorted(result.reference.rsplit("-", 1)[1] for result in results) == [
        "00001",
        "00002",
        "00003",
        "00004",
        "00005",
    ]


def test_only_one_of_two_concurrent_transitions_on_a_file_wins(reference_data):
    file = SampleFileFactory()
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation))
    officers = [staff("officer"), staff("officer")]

    results = run_in_parallel(
        2, lambda i: perform_transition(file=file, name="start_screening", acting_user=officers[i])
    )

    conflicts = [result for result in results if isinstance(result, Conflict)]
    winners = [result for result in results if not isinstance(result, Exception)]
    assert len(winners) == 1
    assert len(conflicts) == 1
    assert conflicts[0].status_code == 409
