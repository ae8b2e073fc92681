"""Every read of mentoring beyond a `get`: files in the caller's scope, list filters (shared by the
lists, their exports and the work queue), the hours used per agreement, the work-queue rows."""

from decimal import Decimal

from django.db.models import CharField, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where
from core.scope import visible_to

from .models import Agreement, HoursDeclaration, Mentor
from .states import (
    AGREEMENT_AWAITING_STAFF,
    DECLARATION_AWAITING_STAFF,
    DECLARATION_COUNTING,
    DeclarationState,
    MentorState,
)


def agreements_visible_to(user) -> QuerySet:
    return visible_to(Agreement, user)


def declarations_visible_to(user) -> QuerySet:
    return visible_to(HoursDeclaration, user)


def active_mentors() -> QuerySet:
    return Mentor.objects.filter(state=MentorState.ACTIVE)


def _hours_in(states) -> Subquery:
    return Coalesce(
        Subquery(
            HoursDeclaration.objects.filter(agreement_id=OuterRef("pk"), state__in=states)
            .order_by()
            .values("agreement_id")
            .annotate(total=Sum("total_hours"))
            .values("total")[:1],
            output_field=DecimalField(max_digits=8, decimal_places=2),
        ),
        Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )


def with_hours_used(agreements: QuerySet) -> QuerySet:
    """Each agreement with `hours_validated` and `hours_counted` (validated + pending), in SQL."""
    return agreements.annotate(
        hours_validated=_hours_in([DeclarationState.VALIDATED]), hours_counted=_hours_in(DECLARATION_COUNTING)
    )


def filter_files(files: QuerySet, filters: dict) -> QuerySet:
    """The filters of the officers' lists, their exports and the work queue (both file types)."""
    if filters.get("state"):
        files = files.filter(state=filters["state"])
    if filters.get("administration"):
        files = files.filter(administration__code=filters["administration"])
    if filters.get("deadline_before"):
        files = files.filter(deadline__lte=filters["deadline_before"])
    if filters.get("reference"):
        files = files.filter(reference__icontains=filters["reference"])
    return files


def _staff_administrations(user) -> set[int]:
    return administration_ids_where(user, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER)


def agreement_queue_rows(user, filters: dict) -> QuerySet:
    agreements = Agreement.objects.filter(
        administration_id__in=_staff_administrations(user), state__in=AGREEMENT_AWAITING_STAFF
    )
    return filter_files(agreements, filters).annotate(
        scheme=Value("mentoring_agreements", output_field=CharField()),
        administration_code=F("administration__code"),
        title=F("project"),
    )


def declaration_queue_rows(user, filters: dict) -> QuerySet:
    declarations = HoursDeclaration.objects.filter(
        administration_id__in=_staff_administrations(user), state__in=DECLARATION_AWAITING_STAFF
    )
    return filter_files(declarations, filters).annotate(
        scheme=Value("mentoring_declarations", output_field=CharField()),
        administration_code=F("administration__code"),
        title=F("agreement__project"),
    )


def programme_overview(user, year: int) -> list[dict]:
    """Hours declared (submitted onwards, rejected left out), hours validated and compensation, per
    month and administration of the officer's administrations, in one grouped query."""
    from django.db.models import Q

    rows = (
        HoursDeclaration.objects.filter(
            administration_id__in=_staff_administrations(user)
            | administration_ids_where(user, StaffRole.Role.FINANCE),
            month__year=year,
        )
        .exclude(state__in=[DeclarationState.DRAFT, DeclarationState.REJECTED])
        .order_by()
        .values("month", "administration__code", "administration__name_fr", "administration__name_nl")
        .annotate(
            declared=Sum("total_hours"),
            validated=Sum("total_hours", filter=Q(state=DeclarationState.VALIDATED)),
            compensation=Sum("amount", filter=Q(state=DeclarationState.VALIDATED)),
        )
        .order_by("month", "administration__code")
    )
    return [
        {
            **row,
            "validated": row["validated"] or Decimal("0.00"),
            "compensation": row["compensation"] or Decimal("0.00"),
        }
        for row in rows
    ]
