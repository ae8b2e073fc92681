"""Everyone's tasks (SPEC §9): what each person must do next, across every scheme, with its deadline
and a link — on their home page and under `/api/v1/tasks/`.

The tasks follow from what the file types declare, so a new file type brings its own:

- `PARTY_TASKS`: in a state, the members of one party must act (answer an information request,
  accept an award, confirm hours...), optionally only where a condition holds (the side that did
  not propose an agreement accepts it);
- `DECISION_STATES`: the states in which an approver of the file's administration decides;
- `REVIEWED_BY`: the path to the officer whose review is recorded, so a requested review done is no
  longer a task;
- `TASK_SUBJECT`: the field shown beside the reference.

Beside them, every officer's assigned files, finance's payment orders to approve (never their own:
four eyes), and the tasks a scheme registers itself (`Scheme.task_sources`: a lender's quarterly
declarations). Each source is one `SELECT` of the same columns; the sources are combined with one
`UNION ALL`, sorted by deadline in the database: a page costs one query and one count, whatever the
number of files and schemes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DateField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where, membership_roles_by_organisation

from .schemes import schemes
from .scope import Party, parties

# Named apart from the models' fields (a file's `deadline`), so every source can annotate them.
TASK_COLUMNS = ("task", "scheme", "pk", "reference", "subject", "due", "url_prefix")


@dataclass(frozen=True)
class PartyTask:
    """In `state`, the members of the file's `role` party must act (`label` says what to do)."""

    code: str
    state: str
    role: str
    label: object
    condition: Q | None = None


@dataclass(frozen=True)
class TaskSource:
    """Tasks a scheme computes itself: `rows(user)` gives the `TASK_COLUMNS` as `values()` (None:
    nothing to look for)."""

    code: str
    label: object
    rows: Callable[[object], QuerySet]


STAFF_TASKS = {
    "assigned": _("Handle the file assigned to you"),
    "review": _("Review the file"),
    "decide": _("Take the decision"),
    "approve_payment": _("Approve the payment order"),
}


def _url_prefix(model) -> str:
    """The file page's address without its id (`get_absolute_url` of a file with pk 0)."""
    return model(pk=0).get_absolute_url().removesuffix("0/")


def _columns(rows: QuerySet, code: str, scheme: str, model, subject) -> QuerySet:
    return task_values(rows, code, scheme, subject=subject, due=F("deadline"), url_prefix=_url_prefix(model))


def _subject(model):
    return F(model.TASK_SUBJECT) if getattr(model, "TASK_SUBJECT", "") else Value("")


def _party(model, role: str) -> Party | None:
    return next((party for party in parties(model) if party.role == role), None)


def _party_rows(model, task: PartyTask, organisation_ids: list[int]) -> QuerySet | None:
    party = _party(model, task.role)
    if party is None or not party.acts:
        return None
    rows = model._default_manager.filter(state=task.state, **{f"{party.path}__in": organisation_ids})
    return rows.filter(task.condition) if task.condition is not None else rows


def _on_file(model, instruction_model):
    return instruction_model.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
    )


def _staff_rows(model, user, scheme: str) -> list[QuerySet]:
    from .models import Assignment, ConflictDeclaration, ReviewRequest

    found = []
    administration = getattr(model, "ADMINISTRATION_FIELD", "administration")
    waiting = model._default_manager.exclude(state__in=[*model.PARTIES_ACT_IN, *model.FINISHED_STATES])
    conflicted = Exists(_on_file(model, ConflictDeclaration).filter(officer=user, has_conflict=True))
    officer_of = administration_ids_where(user, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER)
    if officer_of:
        assigned = waiting.filter(
            Exists(_on_file(model, Assignment).filter(officer=user)),
            **{f"{administration}_id__in": officer_of},
        )
        found.append(_columns(assigned, "assigned", scheme, model, _subject(model)))
        if getattr(model, "REVIEWED_BY", ""):
            to_review = model._default_manager.filter(
                Exists(_on_file(model, ReviewRequest).filter(officer=user)),
                ~Exists(model._default_manager.filter(pk=OuterRef("pk"), **{model.REVIEWED_BY: user})),
                state__in=model.DECISION_STATES,
                **{f"{administration}_id__in": officer_of},
            ).exclude(conflicted)
            found.append(_columns(to_review, "review", scheme, model, _subject(model)))
    approver_of = administration_ids_where(user, StaffRole.Role.APPROVER)
    if approver_of and getattr(model, "DECISION_STATES", ()):
        to_decide = model._default_manager.filter(
            state__in=model.DECISION_STATES, **{f"{administration}_id__in": approver_of}
        ).exclude(conflicted)
        found.append(_columns(to_decide, "decide", scheme, model, _subject(model)))
    return found


def _payment_rows(user) -> QuerySet | None:
    from .models import PaymentOrder

    finance_of = administration_ids_where(user, StaffRole.Role.FINANCE)
    if not finance_of:
        return None
    orders = PaymentOrder.objects.filter(
        administration_id__in=finance_of, state=PaymentOrder.State.PENDING
    ).exclude(created_by=user)
    return task_values(
        orders,
        "approve_payment",
        "payments",
        subject=F("counterparty_name"),
        due=F("due_date"),
        url_prefix="/payments/orders/",
        reference=F("file_reference"),
    )


def _labels() -> dict[str, object]:
    labels = dict(STAFF_TASKS)
    for scheme in schemes():
        for model in scheme.models():
            labels.update({task.code: task.label for task in getattr(model, "PARTY_TASKS", ())})
        labels.update({source.code: source.label for source in scheme.task_sources})
    return labels


def task_rows(user) -> QuerySet | None:
    """Every task of `user`, sorted by deadline (none last) then reference; None when there is none
    to look for (a user with no organisation and no staff role)."""
    if not getattr(user, "is_authenticated", False):
        return None
    organisation_ids = sorted(membership_roles_by_organisation(user))
    branches: list[QuerySet] = []
    for scheme in schemes():
        for model in scheme.models():
            if organisation_ids:
                for task in getattr(model, "PARTY_TASKS", ()):
                    rows = _party_rows(model, task, organisation_ids)
                    if rows is not None:
                        branches.append(_columns(rows, task.code, scheme.code, model, _subject(model)))
            branches.extend(_staff_rows(model, user, scheme.code))
        for source in scheme.task_sources:
            rows = source.rows(user)
            if rows is not None:
                branches.append(rows)
    payments = _payment_rows(user)
    if payments is not None:
        branches.append(payments)
    if not branches:
        return None
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    return combined.order_by(F("due").asc(nulls_last=True), "reference", "pk")


HOME_TASKS = 10


def describe(rows) -> list[dict]:
    """What the page and the API show beside the raw columns: what to do, the scheme's name, the
    link, overdue."""
    labels = _labels()
    scheme_labels = {scheme.code: scheme.label for scheme in schemes()} | {"payments": _("Payments")}
    today = timezone.localdate()
    return [
        {
            **row,
            "label": labels.get(row["task"], row["task"]),
            "scheme_label": scheme_labels.get(row["scheme"], row["scheme"]),
            "url": f"{row['url_prefix']}{row['pk']}/",
            "overdue": row["due"] is not None and row["due"] < today,
        }
        for row in rows
    ]


def task_values(
    rows: QuerySet, code: str, scheme: str, *, subject, due, url_prefix: str, reference=None
) -> QuerySet:
    """A task source's rows as the `TASK_COLUMNS` (`due` an expression, or a date; `reference` an
    expression when the rows have no `reference` field)."""
    if not hasattr(due, "resolve_expression"):
        due = Value(due, output_field=DateField())
    if reference is not None:
        rows = rows.annotate(reference=reference)
    return (
        rows.order_by()
        .annotate(
            task=Value(code, output_field=CharField()),
            scheme=Value(scheme, output_field=CharField()),
            subject=Coalesce(subject, Value(""), output_field=CharField()),
            due=due,
            url_prefix=Value(url_prefix, output_field=CharField()),
        )
        .values(*TASK_COLUMNS)
    )


def home_tasks(user) -> dict:
    """The first tasks and how many there are, for the home page (two queries)."""
    rows = task_rows(user)
    if rows is None:
        return {"tasks": [], "task_count": 0}
    return {"tasks": describe(rows[:HOME_TASKS]), "task_count": rows.count()}
