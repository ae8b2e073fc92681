"""The benchmark's volume builder, at a small size: every state, with the history it implies."""

from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from bench.volume import PATHS, TARGETS, build_volume
from core.models import HistoryEntry, PaymentOrder
from grants.models import GrantApplication, Review
from grants.workflow import RESERVING, State

# The builder re-dates rows with PostgreSQL SQL, as the benchmark (which always runs on it) needs.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the volume is built on PostgreSQL"),
]


@pytest.fixture
def volume():
    return build_volume(files=300, organisations=40)


def test_the_volume_holds_every_state_of_the_workflow(volume):
    states = Counter(GrantApplication.objects.values_list("state", flat=True))

    assert set(states) == set(State.values)
    assert volume.counts["applications"] == 300


def test_each_file_has_one_history_entry_per_transition_of_its_path_ending_in_its_state(volume):
    entries = defaultdict(list)
    for entry in HistoryEntry.objects.order_by("at", "id"):
        entries[entry.object_id].append(entry)

    for application in GrantApplication.objects.all():
        path = PATHS[application.state]
        assert [entry.transition for entry in entries[application.pk]] == path
        if path:
            assert entries[application.pk][-1].target_state == application.state == TARGETS[path[-1]]


def test_references_number_the_submitted_files_in_submission_order_without_gaps(volume):
    submitted = GrantApplication.objects.exclude(submitted_at=None).order_by("submitted_at")

    references = list(submitted.values_list("reference", flat=True))

    assert references == [f"MUT-2026-{number:05d}" for number in range(1, len(references) + 1)]
    assert not GrantApplication.objects.filter(state=State.DRAFT).exclude(reference=None).exists()


def test_awards_are_reserved_and_paid_only_in_the_states_that_imply_it(volume):
    reserving = GrantApplication.objects.filter(state__in=RESERVING)
    grant_orders = PaymentOrder.objects.filter(
        content_type=ContentType.objects.get_for_model(GrantApplication)
    )
    ordered = set(grant_orders.values_list("object_id", flat=True))

    assert not reserving.filter(reserved_amount=0).exists()
    assert not GrantApplication.objects.exclude(state__in=RESERVING).exclude(reserved_amount=0).exists()
    assert ordered <= set(
        GrantApplication.objects.filter(
            state__in=[State.IN_PROGRESS, State.FINAL_REPORT_SUBMITTED, State.CLOSED, State.TERMINATED]
        ).values_list("pk", flat=True)
    )


def test_files_not_yet_reviewed_have_no_review(volume):
    unreviewed = [State.DRAFT, State.SUBMITTED, State.SCREENING, State.INFORMATION_REQUESTED]

    assert not Review.objects.filter(application__state__in=unreviewed).exists()
    assert Review.objects.filter(application__state=State.UNDER_REVIEW).exists()
