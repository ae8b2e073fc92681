"""Reads on grants: what a user may see, call budgets computed in SQL, the officer queue."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where
from core.models import PaymentOrder
from core.scope import visible_to

from .models import Envelope, GrantApplication
from .states import AWAITING_STAFF, RESERVING

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def applications_visible_to(user) -> QuerySet[GrantApplication]:
    """Members of the lead or of a partner organisation; staff of the file's administration (not
    drafts): the shared scope rule of `core.scope`, declared on the model."""
    return visible_to(GrantApplication, user)


# What a list row shows (web and API), and nothing more: no description, budget or JSON snapshot.
LIST_COLUMNS = (
    "id",
    "reference",
    "state",
    "title",
    "requested_amount",
    "awarded_amount",
    "acceptance_deadline",
    "deadline",
    "submitted_at",
    "created_at",
    "updated_at",
    "call_id",
    "call__title_fr",
    "call__title_nl",
    "lead_organisation_id",
    "lead_organisation__name_fr",
    "lead_organisation__name_nl",
    "administration_id",
    "administration__code",
    "administration__name_fr",
    "administration__name_nl",
)


def with_list_columns(applications: QuerySet[GrantApplication]) -> QuerySet[GrantApplication]:
    return applications.select_related("call", "lead_organisation", "administration").only(*LIST_COLUMNS)


def filter_applications(
    applications: QuerySet[GrantApplication], filters: dict
) -> QuerySet[GrantApplication]:
    """The officer filters, one definition for the list, its exports and the work queue: `call` (a
    call or its id), `state`, `administration` (code), `deadline_before` (date)."""
    if filters.get("call"):
        applications = applications.filter(call_id=getattr(filters["call"], "pk", filters["call"]))
    if filters.get("state"):
        applications = applications.filter(state=filters["state"])
    if filters.get("administration"):
        applications = applications.filter(administration__code=filters["administration"])
    if filters.get("deadline_before"):
        applications = applications.filter(deadline__lte=filters["deadline_before"])
    return applications


def envelopes_with_budget(call=None) -> QuerySet[Envelope]:
    """Each envelope (of the call, when given) with what is committed, paid and remaining, in one
    query; without a call, the queryset to prefetch on a list of calls."""
    reserved = (
        GrantApplication.objects.filter(
            call_id=OuterRef("call_id"), administration_id=OuterRef("administration_id"), state__in=RESERVING
        )
        .order_by()
        .values("call_id")
        .annotate(total=Sum("reserved_amount"))
        .values("total")
    )
    paid = (
        PaymentOrder.objects.filter(
            content_type=ContentType.objects.get_for_model(GrantApplication),
            administration_id=OuterRef("administration_id"),
            object_id__in=GrantApplication.objects.filter(call_id=OuterRef(OuterRef("call_id"))).values("pk"),
            state=PaymentOrder.State.PAID,
        )
        .order_by()
        .values("administration_id")
        .annotate(
            total=Sum(
                Case(
                    When(kind=PaymentOrder.Kind.GRANT_RECOVERY, then=-F("amount")),
                    default=F("amount"),
                    output_field=DecimalField(max_digits=14, decimal_places=2),
                )
            )
        )
        .values("total")
    )
    envelopes = Envelope.objects.filter(call=call) if call is not None else Envelope.objects.all()
    return (
        envelopes.select_related("administration")
        # `remaining` is the envelope's property (amount − committed): an annotation would make
        # PostgreSQL evaluate the reservations' subquery a second time.
        .annotate(committed=Coalesce(Subquery(reserved), ZERO), paid=Coalesce(Subquery(paid), ZERO))
        .order_by("administration__code")
    )


def queue_rows(user, filters: dict) -> QuerySet:
    """Grant files awaiting the staff of the user's administrations, with a deadline per state."""
    applications = GrantApplication.objects.filter(
        administration_id__in=administration_ids_where(user, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER),
        state__in=AWAITING_STAFF,
    )
    applications = filter_applications(applications, filters)
    return applications.annotate(
        scheme=Value("grants", output_field=CharField()), administration_code=F("administration__code")
    )


def review_averages(application: GrantApplication) -> dict[str, float | None]:
    """Each criterion's average out of 5 and the overall one, computed in the database (None
    without reviews)."""
    from django.db.models import Avg, FloatField
    from django.db.models.functions import Cast

    from .models import Review

    total = sum((F(name) for name in Review.SCORE_FIELDS), start=0)
    # Aliased apart from the fields: an alias named like a field would shadow it in `total`.
    averages = application.reviews.aggregate(
        **{f"{name}_average": Avg(Cast(name, FloatField())) for name in Review.SCORE_FIELDS},
        overall_average=Avg(Cast(total, FloatField()) / len(Review.SCORE_FIELDS)),
    )
    return {
        name.removesuffix("_average"): None if value is None else round(value, 2)
        for name, value in averages.items()
    }
