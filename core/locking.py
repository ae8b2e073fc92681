"""Row locks, always taken the same way and in the same order: the file first, then the rows its
decision draws on (an envelope, a fund, an hours cap), each set in primary-key order. Two decisions
that need the same rows then queue behind one another instead of deadlocking."""

from django.db import models, transaction
from django.db.models import QuerySet


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Row locks only hold inside a transaction: call this within transaction.atomic().")


def lock_file(model: type[models.Model], pk: int) -> models.Model:
    """Re-read a file with a row lock held until the end of the transaction (first lock taken)."""
    _require_transaction()
    return model._default_manager.select_for_update().get(pk=pk)


def lock_rows(queryset: QuerySet) -> list[models.Model]:
    """Lock the rows a decision draws on, after the file, in primary-key order."""
    _require_transaction()
    return list(queryset.select_for_update().order_by("pk"))


def lock_row(queryset: QuerySet) -> models.Model | None:
    """The one row of `queryset`, locked (None when there is none)."""
    rows = lock_rows(queryset)
    return rows[0] if rows else None
