"""The officer work queue: each scheme registers a source of files awaiting its administration's staff.

A source is a function `(user, filters) -> QuerySet` whose rows are dictionaries with the columns
below, computed in SQL (`.values(...)`), so the page costs one query per source whatever the number
of rows. Sources are combined and sorted in the database with `UNION`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import CharField, F, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where

QUEUE_COLUMNS = ("scheme", "pk", "reference", "state", "administration_code", "deadline", "title")


@dataclass(frozen=True)
class QueueSource:
    code: str
    label: object
    rows: Callable[[object, dict], QuerySet]
    states: Sequence[tuple[str, object]] = ()  # (value, label) of the states its rows may be in
    url: Callable[[int], str] = lambda pk: ""  # the page of one row's file


def describe_rows(rows) -> list[dict]:
    """Add what the page shows beside the raw columns: scheme and state labels, the file's link."""
    sources = dict(_SOURCES)
    described = []
    for row in rows:
        source = sources.get(row["scheme"])
        states = dict(source.states) if source else {}
        described.append(
            {
                **row,
                "scheme_label": source.label if source else row["scheme"],
                "state_label": states.get(row["state"], row["state"]),
                "url": source.url(row["pk"]) if source else "",
            }
        )
    return described


def state_choices() -> list[tuple[str, object]]:
    seen: dict[str, object] = {}
    for source in _SOURCES.values():
        for value, label in source.states:
            seen.setdefault(value, label)
    return list(seen.items())


_SOURCES: dict[str, QueueSource] = {}


def register_queue_source(source: QueueSource) -> None:
    _SOURCES[source.code] = source


def queue_sources() -> list[QueueSource]:
    return list(_SOURCES.values())


def work_queue(user, filters: dict) -> QuerySet | None:
    """Rows for every registered source the filters keep, sorted by deadline then reference."""
    sources = [s for s in _SOURCES.values() if not filters.get("scheme") or filters["scheme"] == s.code]
    querysets = [source.rows(user, filters).order_by().values(*QUEUE_COLUMNS) for source in sources]
    if not querysets:
        return None
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    ordering = filters.get("ordering") or "deadline"
    if ordering.lstrip("-") not in {"deadline", "reference", "state"}:
        ordering = "deadline"
    return combined.order_by(ordering, "reference")


def payment_order_rows(user, filters: dict) -> QuerySet:
    """Payment orders awaiting a finance officer's approval or payment."""
    from .models import PaymentOrder

    orders = PaymentOrder.objects.filter(
        administration_id__in=administration_ids_where(user, StaffRole.Role.FINANCE),
        state__in=[PaymentOrder.State.PENDING, PaymentOrder.State.APPROVED],
    )
    if filters.get("state"):
        orders = orders.filter(state=filters["state"])
    if filters.get("administration"):
        orders = orders.filter(administration__code=filters["administration"])
    if filters.get("deadline_before"):
        orders = orders.filter(due_date__lte=filters["deadline_before"])
    return orders.annotate(
        scheme=Value("payments", output_field=CharField()),
        reference=F("file_reference"),
        administration_code=F("administration__code"),
        deadline=F("due_date"),
        title=F("counterparty_name"),
    )


register_queue_source(
    QueueSource(
        "payments",
        _("Payment orders"),
        payment_order_rows,
        states=[("pending", _("Pending")), ("approved", _("Approved"))],
        url=lambda pk: f"/payments/orders/{pk}/",
    )
)
