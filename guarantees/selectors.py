"""Every read of the guarantee scheme that is more than a `get`: the fund's exposure, remaining
capacity and caps computed by the database (never by loading every guarantee into Python), the
lists, the work queue and the portfolio."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Round
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where
from core.money import to_money
from core.scope import visible_to

from . import calculations
from .models import GuaranteeRequest, LenderDeclaration, ScheduleLine, SchemeParameters
from .states import AID_STATES, AWAITING_STAFF, EXPOSED_STATES, RUNNING_STATES, State

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _latest_declaration(on: date, field: str):
    return Subquery(
        LenderDeclaration.objects.filter(request=OuterRef("pk"), as_of__lte=on)
        .order_by("-as_of", "-pk")
        .values(field)[:1]
    )


def outstanding_principal_expression(on: date):
    """The outstanding principal at `on`, in SQL: the latest declaration, else the schedule."""
    repaid = Subquery(
        ScheduleLine.objects.filter(request=OuterRef("pk"), due_date__lte=on)
        .order_by()
        .values("request")
        .annotate(total=Sum("principal"))
        .values("total"),
        output_field=MONEY,
    )
    scheduled = ExpressionWrapper(F("disbursed_amount") - Coalesce(repaid, ZERO), output_field=MONEY)
    return Coalesce(_latest_declaration(on, "outstanding_principal"), scheduled, ZERO, output_field=MONEY)


def exposure_expression(on: date | None = None):
    """What one guarantee weighs on the fund: an offer its whole guaranteed amount; a running
    guarantee its outstanding guaranteed amount; anything else nothing."""
    on = on or timezone.localdate()
    outstanding_guaranteed = Round(
        ExpressionWrapper(outstanding_principal_expression(on) * F("coverage") / 100, output_field=MONEY),
        2,
        output_field=MONEY,
    )
    return Case(
        When(state=State.OFFERED, then=F("guaranteed_amount")),
        When(state__in=RUNNING_STATES, then=outstanding_guaranteed),
        default=ZERO,
        output_field=MONEY,
    )


def with_exposure(requests: QuerySet, on: date | None = None) -> QuerySet:
    return requests.annotate(exposure=exposure_expression(on))


def _total(requests: QuerySet, on: date | None = None) -> Decimal:
    found = requests.filter(state__in=EXPOSED_STATES).aggregate(total=Sum(exposure_expression(on)))["total"]
    return to_money(found or 0)


def fund_exposure(*, excluding: int | None = None, on: date | None = None) -> Decimal:
    requests = GuaranteeRequest.objects.all()
    if excluding is not None:
        requests = requests.exclude(pk=excluding)
    return _total(requests, on)


def organisation_exposure(organisation_id: int, *, excluding: int | None = None) -> Decimal:
    requests = GuaranteeRequest.objects.filter(borrower_id=organisation_id)
    if excluding is not None:
        requests = requests.exclude(pk=excluding)
    return _total(requests)


def de_minimis_total(organisation_id: int, *, years: int, excluding: int | None = None) -> Decimal:
    """The organisation's aid equivalents granted over the rolling period."""
    since = timezone.now() - timedelta(days=365 * years + years // 4)
    requests = GuaranteeRequest.objects.filter(
        borrower_id=organisation_id, state__in=AID_STATES, offered_at__gte=since
    )
    if excluding is not None:
        requests = requests.exclude(pk=excluding)
    return to_money(requests.aggregate(total=Sum("aid_equivalent"))["total"] or 0)


LENDER_VOLUME_STATES = [State.ACTIVE, State.RELEASED, State.CALLED, State.CLAIM_PAID, State.CLOSED]


def lender_figures(lender_id: int) -> dict[str, Decimal]:
    """The lender's guaranteed volume (guarantees taken up) and the claims the fund paid it."""
    totals = GuaranteeRequest.objects.filter(lender_id=lender_id).aggregate(
        volume=Sum("guaranteed_amount", filter=Q(state__in=LENDER_VOLUME_STATES)),
        offered=Sum("guaranteed_amount", filter=Q(state=State.OFFERED)),
        paid=Sum("claim_amount", filter=Q(state__in=[State.CLAIM_PAID, State.CLOSED])),
    )
    return {key: to_money(value or 0) for key, value in totals.items()}


def fund_status(parameters: SchemeParameters | None = None, *, exposure: Decimal | None = None) -> dict:
    """Capacity, exposure, remaining capacity and use (%) of the fund, from the parameters in force
    (the portfolio passes the exposure it has already summed)."""
    parameters = parameters or SchemeParameters.objects.in_force_on(timezone.localdate())
    if parameters is None:
        return {
            "capacity": Decimal("0.00"),
            "exposure": Decimal("0.00"),
            "remaining": Decimal("0.00"),
            "use": Decimal("0.00"),
            "alert_threshold": Decimal("0.00"),
        }
    exposure = fund_exposure() if exposure is None else exposure
    return {
        "capacity": parameters.capacity,
        "exposure": exposure,
        "remaining": parameters.capacity - exposure,
        "use": calculations.use_percentage(exposure, parameters.capacity),
        "alert_threshold": parameters.alert_threshold,
    }


# -- lists ---------------------------------------------------------------------------------------

ORDERINGS = {
    "created_at",
    "-created_at",
    "reference",
    "-reference",
    "loan_amount",
    "-loan_amount",
    "deadline",
    "-deadline",
    "state",
    "-state",
}


def requests_visible_to(user) -> QuerySet:
    return visible_to(GuaranteeRequest, user)


def filter_requests(requests: QuerySet, filters: dict) -> QuerySet:
    """The filters of the officer list, its exports and the work queue, written once."""
    if filters.get("state"):
        requests = requests.filter(state=filters["state"])
    if filters.get("administration"):
        requests = requests.filter(administration__code=filters["administration"])
    if filters.get("lender"):
        requests = requests.filter(lender_id=filters["lender"])
    if filters.get("rating"):
        requests = requests.filter(risk_rating=filters["rating"])
    if filters.get("deadline_before"):
        requests = requests.filter(deadline__lte=filters["deadline_before"])
    if filters.get("q"):
        text = filters["q"]
        requests = requests.filter(
            Q(reference__icontains=text)
            | Q(borrower__name_fr__icontains=text)
            | Q(borrower__name_nl__icontains=text)
        )
    return requests


def with_list_columns(requests: QuerySet) -> QuerySet:
    return requests.select_related("borrower", "lender", "administration").only(
        "id",
        "reference",
        "state",
        "loan_amount",
        "duration_months",
        "repayment_profile",
        "requested_coverage",
        "coverage",
        "guaranteed_amount",
        "risk_rating",
        "deadline",
        "created_at",
        "submitted_at",
        "borrower__name_fr",
        "borrower__name_nl",
        "lender__name_fr",
        "lender__name_nl",
        "administration__code",
        "administration__name_fr",
        "administration__name_nl",
    )


def monitoring_flag_expression(on: date | None = None) -> Case:
    """What the latest lender declaration (at `on`) says of a guarantee, in SQL: 30/60/90 days in
    arrears, or a declared balance above what the schedule had left at the declaration's date."""
    on = on or timezone.localdate()
    arrears = Coalesce(_latest_declaration(on, "arrears_days"), Value(0), output_field=IntegerField())
    declared = _latest_declaration(on, "outstanding_principal")
    # The declaration's date, seen from inside the schedule's subquery (the file is two levels out).
    declared_on = Subquery(
        LenderDeclaration.objects.filter(request=OuterRef(OuterRef("pk")), as_of__lte=on)
        .order_by("-as_of", "-pk")
        .values("as_of")[:1]
    )
    scheduled_then = Subquery(
        ScheduleLine.objects.filter(request=OuterRef("pk"), due_date__lte=declared_on)
        .order_by()
        .values("request")
        .annotate(total=Sum("principal"))
        .values("total"),
        output_field=MONEY,
    )
    lag = ExpressionWrapper(
        declared - (F("disbursed_amount") - Coalesce(scheduled_then, ZERO)), output_field=MONEY
    )
    Flag = GuaranteeRequest.MonitoringFlag
    return Case(
        When(GreaterThanOrEqual(arrears, 90), then=Value(Flag.ARREARS_90)),
        When(GreaterThanOrEqual(arrears, 60), then=Value(Flag.ARREARS_60)),
        When(GreaterThanOrEqual(arrears, 30), then=Value(Flag.ARREARS_30)),
        When(GreaterThan(lag, 0), then=Value(Flag.LAGGING)),
        default=Value(Flag.NONE),
        output_field=CharField(),
    )


def refresh_monitoring_flags(request_ids) -> int:
    """Store each guarantee's monitoring flag after its declarations changed (one UPDATE), writing only
    the rows whose flag changes: a quarter's upload mostly confirms the flags, and rewriting every
    loan each time left a dead row version per loan and upload for the vacuum. Returns how many changed."""
    flag = monitoring_flag_expression()
    return (
        GuaranteeRequest.objects.filter(pk__in=list(request_ids))
        .exclude(monitoring_flag=flag)
        .update(monitoring_flag=flag)
    )


def queue_rows(user, filters: dict) -> QuerySet:
    """Guarantee files awaiting the staff of the user's administrations, and running guarantees the
    lender's declarations flag (in arrears 30/60/90 days, or a balance lagging the schedule: the
    stored `monitoring_flag`), with the reason as the row's title."""
    requests = GuaranteeRequest.objects.filter(
        administration_id__in=administration_ids_where(user, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER),
    )
    requests = filter_requests(requests, {key: value for key, value in filters.items() if key != "state"})
    if filters.get("state"):
        requests = requests.filter(state=filters["state"])
    flagged = Q(state__in=RUNNING_STATES) & ~Q(monitoring_flag=GuaranteeRequest.MonitoringFlag.NONE)
    requests = requests.filter(Q(state__in=AWAITING_STAFF) | flagged)
    purpose = Coalesce(F("purpose"), Value(""), output_field=CharField())

    def flag(text):
        return Concat(Value(f"⚠ {text} — "), purpose, output_field=CharField())

    return requests.annotate(
        scheme=Value("guarantees", output_field=CharField()),
        administration_code=F("administration__code"),
        title=Case(
            *[
                When(Q(state__in=RUNNING_STATES, monitoring_flag=value), then=flag(label))
                for value, label in GuaranteeRequest.MonitoringFlag.choices
                if value
            ],
            default=purpose,
            output_field=CharField(),
        ),
    )


# -- portfolio -----------------------------------------------------------------------------------

PORTFOLIO_DIMENSIONS = {
    "administration": "administration__code",
    "rating": "risk_rating",
    "lender": "lender__name_fr",
    "status": "state",
}


def portfolio_tables(on: date | None = None) -> dict[str, list[dict]]:
    """Exposure (offered + outstanding guaranteed) by every dimension of `PORTFOLIO_DIMENSIONS`.

    A guarantee's exposure is the costly part (its latest declaration, its schedule), so it is
    computed once per guarantee: one query groups in SQL by the four dimensions together (a few
    hundred groups at most: administrations × ratings × lenders × states), and each dimension's
    rows are the sums of those groups."""
    columns = list(PORTFOLIO_DIMENSIONS.values())
    groups = (
        GuaranteeRequest.objects.filter(state__in=EXPOSED_STATES)
        .annotate(weight=exposure_expression(on))
        .values(*columns)
        .annotate(exposure=Sum("weight"))
        .order_by()
    )
    sums: dict[str, dict] = {dimension: {} for dimension in PORTFOLIO_DIMENSIONS}
    for group in groups:
        exposure = group["exposure"] or Decimal("0")
        offered = exposure if group["state"] == State.OFFERED else Decimal("0")
        for dimension, column in PORTFOLIO_DIMENSIONS.items():
            row = sums[dimension].setdefault(group[column] or "", [Decimal("0"), Decimal("0")])
            row[0] += exposure
            row[1] += offered
    return {
        dimension: [
            {
                "key": key,
                "exposure": to_money(exposure),
                "offered": to_money(offered),
                "outstanding": to_money(exposure - offered),
            }
            for key, (exposure, offered) in sorted(rows.items(), key=lambda item: (item[0] == "", item[0]))
        ]
        for dimension, rows in sums.items()
    }


def total_exposure(tables: dict[str, list[dict]]) -> Decimal:
    """The fund's exposure from the portfolio's tables (any dimension sums to it)."""
    return to_money(sum((row["exposure"] for row in tables["status"]), Decimal("0")))


def portfolio(dimension: str) -> list[dict]:
    """One dimension of `portfolio_tables`."""
    return portfolio_tables()[dimension]


DEFAULT_STRESS_RATES = {
    "A": Decimal("1"),
    "B": Decimal("3"),
    "C": Decimal("7"),
    "D": Decimal("15"),
    "E": Decimal("30"),
}


def stress_scenario(
    default_rates: dict[str, Decimal], *, by_rating_rows: list[dict] | None = None, status: dict | None = None
) -> dict:
    """Expected calls per rating and the capacity left after them; the portfolio page passes the
    rating rows and the fund status it already has (each is an aggregate over every guarantee)."""
    rows = portfolio("rating") if by_rating_rows is None else by_rating_rows
    by_rating = {row["key"] or "?": row["exposure"] for row in rows}
    expected = calculations.expected_calls(by_rating, default_rates)
    status = status or fund_status()
    return {
        "default_rates": {key: str(value) for key, value in default_rates.items()},
        "expected_calls": expected,
        "remaining_capacity": status["remaining"],
        "capacity_after_calls": status["remaining"] - expected,
        "by_rating": [
            {
                "rating": rating,
                "exposure": exposure,
                "expected_calls": calculations.expected_calls({rating: exposure}, default_rates),
            }
            for rating, exposure in by_rating.items()
        ],
    }


def declarations_due(user) -> QuerySet | None:
    """A lender's task (core.todo): each running loan of the user's lenders not yet declared for the
    current quarter, due at the quarter's end."""
    from accounts.selectors import membership_roles_by_organisation
    from core.todo import task_values

    from .services import quarter_end, quarter_of
    from .uploads import lender_loans_queryset

    if not membership_roles_by_organisation(user):
        return None
    quarter = quarter_of(timezone.localdate())
    declared = LenderDeclaration.objects.filter(request=OuterRef("pk"), quarter=quarter)
    return task_values(
        lender_loans_queryset(user).exclude(Exists(declared)),
        "declare_balance",
        "guarantees",
        subject=F("purpose"),
        due=quarter_end(quarter),
        url_prefix="/guarantees/requests/",
    )


# -- the fund over time (the dashboard) ------------------------------------------------------------

# After an offer, the states in which a guarantee no longer weighs on the fund; it left the fund
# when it entered them (a paid claim: when it was paid, even once the file is closed).
LEFT_THE_FUND = [State.LAPSED, State.RELEASED, State.CLAIM_PAID, State.CLOSED]


def with_fund_exit(requests: QuerySet) -> QuerySet:
    """The day each guarantee left the fund (`left_fund_on`), meaningful in `LEFT_THE_FUND` states."""
    from django.db.models.functions import TruncDate

    return requests.annotate(left_fund_on=TruncDate(Coalesce("claim_paid_at", "state_entered_at")))


def historical_exposure_expression(on: date):
    """What one guarantee weighed on the fund at the end of day `on`, from its dates rather than its
    current state: nothing before its offer or after it left the fund; the whole guaranteed amount
    between the offer and the disbursement; then the outstanding guaranteed amount at `on`. Reads
    `left_fund_on` (`with_fund_exit`)."""
    outstanding_guaranteed = Round(
        ExpressionWrapper(outstanding_principal_expression(on) * F("coverage") / 100, output_field=MONEY),
        2,
        output_field=MONEY,
    )
    return Case(
        When(Q(offered_at__isnull=True) | Q(offered_at__date__gt=on), then=ZERO),
        When(Q(state__in=LEFT_THE_FUND) & Q(left_fund_on__lte=on), then=ZERO),
        When(disbursed_on__lte=on, then=outstanding_guaranteed),
        default=F("guaranteed_amount"),
        output_field=MONEY,
    )


def exposure_history(days: list[date]) -> list[dict]:
    """The fund's exposure and capacity at each of `days`: one aggregate query over the guarantees
    ever offered, one for the parameters' versions."""
    requests = with_fund_exit(GuaranteeRequest.objects.filter(offered_at__isnull=False).order_by())
    expressions = {f"on_{index}": Sum(historical_exposure_expression(day)) for index, day in enumerate(days)}
    totals = requests.aggregate(**expressions) if expressions else {}
    versions = list(SchemeParameters.objects.order_by("effective_from", "pk"))
    found = []
    for index, day in enumerate(days):
        in_force = [version for version in versions if version.effective_from <= day]
        capacity = in_force[-1].capacity if in_force else Decimal("0.00")
        found.append({"on": day, "exposure": to_money(totals.get(f"on_{index}") or 0), "capacity": capacity})
    return found
