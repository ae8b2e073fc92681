"""File references (`MUT-2026-00042`): unique and without gaps, even under concurrent submissions."""

from django.db import transaction

from .models import ReferenceSequence


def allocate_reference(*, prefix: str, year: int) -> str:
    """Hand out the next number for `prefix` and `year`.

    Must run inside the submitting transaction: the counter row stays locked until it commits, and
    a rollback gives the number back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_reference must run inside the submitting transaction.")
    ReferenceSequence.objects.bulk_create(
        [ReferenceSequence(prefix=prefix, year=year)], ignore_conflicts=True
    )
    sequence = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{sequence.last_number:05d}"
