"""The officer work queue: each scheme registers a source of files awaiting its administration's staff.

A source is a function `(user, filters) -> QuerySet` whose rows are dictionaries with the columns
below, computed in SQL (`.values(...)`), so the page costs one query per source whatever the number
of rows. Sources are combined and sorted in the database with `UNION`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where

QUEUE_COLUMNS = ("scheme", "pk", "reference", "state", "administration_code", "deadline", "title", "assignee")

MINE, UNASSIGNED = "mine", "unassigned"


@dataclass(frozen=True)
class QueueSource:
    code: str
    label: object
    rows: Callable[[object, dict], QuerySet]
    states: Sequence[tuple[str, object]] = ()  # (value, label) of the states its rows may be in
    url: Callable[[int], str] = lambda pk: ""  # the page of one row's file


def describe_rows(rows) -> list[dict]:
    """Add what the page shows beside the raw columns: scheme and state labels, the file's link."""
    from django.utils import timezone

    sources = dict(_SOURCES)
    today = timezone.localdate()
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
                "overdue": row["deadline"] is not None and row["deadline"] < today,
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


def _with_assignment(rows: QuerySet, user, wanted: str, *, named: bool = True) -> QuerySet | None:
    """The source's rows with their assignee's name (unless not `named`: for counting them), kept to
    the user's (`mine`) or to nobody's (`unassigned`); None when the rows cannot be assigned and a
    filter on assignment is asked."""
    from .models import Assignment

    if not hasattr(rows.model, "assignments"):  # payment orders: not assigned to officers
        if wanted:
            return None
        return rows.annotate(assignee=Value("", output_field=CharField())) if named else rows
    assigned = Assignment.objects.filter(
        content_type=ContentType.objects.get_for_model(rows.model), object_id=OuterRef("pk")
    )
    if wanted == MINE:
        rows = rows.filter(Exists(assigned.filter(officer=user)))
    elif wanted == UNASSIGNED:
        rows = rows.filter(~Exists(assigned))
    if not named:
        return rows
    name = Concat("officer__first_name", Value(" "), "officer__last_name", output_field=CharField())
    return rows.annotate(
        assignee=Coalesce(Subquery(assigned.annotate(name=name).values("name")[:1]), Value(""))
    )


def _kept_sources(user, filters: dict, *, named: bool = True) -> list[QuerySet]:
    sources = [s for s in _SOURCES.values() if not filters.get("scheme") or filters["scheme"] == s.code]
    wanted = filters.get("assignment") or ""
    kept = [_with_assignment(source.rows(user, filters), user, wanted, named=named) for source in sources]
    return [rows for rows in kept if rows is not None]


def work_queue_count(user, filters: dict) -> int:
    """How many rows `work_queue` has: one count a source, each without the columns only the page
    shows (the assignee's name is not even built; Django leaves out the other unused annotations),
    where counting the `UNION` would compute every row's title, assignee and flags."""
    return sum(rows.order_by().count() for rows in _kept_sources(user, filters, named=False))


def work_queue(user, filters: dict, *, upto: int | None = None) -> QuerySet | None:
    """Rows for every registered source the filters keep, sorted by deadline then reference.

    With `upto` (the last row of the page asked for), each source gives only its first `upto` rows
    in that order, which an index on its deadline answers, rather than every row with its title and
    assignee for the union to sort; the union's first `upto` rows are the same."""
    ordering = filters.get("ordering") or "deadline"
    if ordering.lstrip("-") not in {"deadline", "reference", "state"}:
        ordering = "deadline"
    querysets = [rows.order_by().values(*QUEUE_COLUMNS) for rows in _kept_sources(user, filters)]
    if not querysets:
        return None
    if upto is not None and len(querysets) > 1 and connection.features.supports_slicing_ordering_in_compound:
        querysets = [rows.order_by(ordering, "reference")[:upto] for rows in querysets]
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
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
