"""History entries are append-only: in the model, in the queryset and, on PostgreSQL, in the database."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.models import HistoryEntry
from core.models.history import HistoryIsAppendOnly
from tests.factories import SampleFileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    file = SampleFileFactory()
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(file),
        object_id=file.pk,
        transition="submit",
        source_state="draft",
        target_state="submitted",
        actor=UserFactory(),
        comment="First submission",
    )


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")


def test_an_entry_cannot_be_changed_and_saved_again(entry):
    entry.comment = "Rewritten"

    with pytest.raises(HistoryIsAppendOnly):
        entry.save()

    entry.refresh_from_db()
    assert entry.comment == "First submission"


def test_an_entry_cannot_be_overwritten_by_a_new_object_with_its_id(entry):
    forged = HistoryEntry(
        pk=entry.pk,
        content_type_id=entry.content_type_id,
        object_id=entry.object_id,
        transition="approve",
        source_state="screening",
        target_state="approved",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()

    entry.refresh_from_db()
    assert entry.transition == "submit"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(HistoryIsAppendOnly):
        entry.delete()

    assert HistoryEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_deleted_through_a_queryset(entry):
    with pytest.raises(HistoryIsAppendOnly):
        HistoryEntry.objects.filter(pk=entry.pk).delete()

    assert HistoryEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_updated_through_a_queryset(entry):
    with pytest.raises(HistoryIsAppendOnly):
        HistoryEntry.objects.filter(pk=entry.pk).update(comment="Rewritten")

    entry.refresh_from_db()
    assert entry.comment == "First submission"


def test_the_database_refuses_a_raw_update_of_an_entry(entry):
    require_postgresql()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_historyentry SET comment = %s WHERE id = %s", ["Rewritten", entry.pk])

    entry.refresh_from_db()
    assert entry.comment == "First submission"


def test_the_database_refuses_a_raw_delete_of_an_entry(entry):
    require_postgresql()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_historyentry WHERE id = %s", [entry.pk])

    assert HistoryEntry.objects.filter(pk=entry.pk).exists()


def test_new_entries_can_still_be_added_for_the_same_file(entry):
    HistoryEntry.objects.create(
        content_type_id=entry.content_type_id,
        object_id=entry.object_id,
        transition="withdraw",
        source_state="submitted",
        target_state="withdrawn",
    )

    assert HistoryEntry.objects.filter(object_id=entry.object_id).count() == 2
