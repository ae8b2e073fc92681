"""The credit guarantees at volume: guarantee requests over the bench's organisations, built in bulk.

    build_guarantees(volume, orgs, administrations, count=5_000)

Called by `bench.volume.build_volume` after the grant files. Three lender institutions
(`is_financial_institution`) with their users (`lender@bench.example` is a member of the first two);
requests spread over every state of `guarantees.states.State`, each with what its state implies: the
risk review once reviewed, the offer on the scheme parameters in force, the disbursement and its
schedule (computed by `guarantees.calculations`, inserted with COPY), fee periods billed up to today
with their payment orders, a few quarterly declarations of the running loans (some in arrears or
lagging the schedule, so the work queue flags them), the claim and the recoveries once the claim is
paid. References `GAR-2026-00001`… in submission order, stored deadlines and the search text as
`WorkflowFile.save` writes it (`core.search.text_of`). Runs inside `build_volume`'s transaction.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from accounts.models import LegalForm, Membership, Organisation, User
from core.models import PaymentOrder, ProcessingDeadline, ReferenceSequence
from core.pagination import WEB_PAGE_SIZE
from core.schemes import scheme_of
from guarantees import calculations
from guarantees.models import (
    FeePeriod,
    Fund,
    GuaranteeRequest,
    LenderDeclaration,
    Recovery,
    SchemeParameters,
)
from guarantees.selectors import refresh_monitoring_flags
from guarantees.services import quarter_end, quarter_of
from guarantees.states import FINISHED, State

PREFIX = scheme_of(GuaranteeRequest).reference_prefix  # "GAR"
YEAR = 2026
BATCH = 5_000
LENDER_EMAIL = "lender@bench.example"
IBAN, BIC = "BE71096123456769", "GKCCBEBB"

# Share of requests per state (sums to 100): a fund a few years old, most loans running or repaid.
STATE_WEIGHTS = {
    State.DRAFT: 5,
    State.SUBMITTED: 6,
    State.SCREENING: 5,
    State.INFORMATION_REQUESTED: 3,
    State.INELIGIBLE: 3,
    State.UNDER_REVIEW: 7,
    State.OFFERED: 6,
    State.REJECTED: 7,
    State.LAPSED: 3,
    State.ACTIVE: 32,
    State.RELEASED: 8,
    State.CALLED: 3,
    State.CLAIM_PAID: 3,
    State.CLOSED: 5,
    State.WITHDRAWN: 4,
}
REVIEWED = {
    State.UNDER_REVIEW,
    State.OFFERED,
    State.REJECTED,
    State.LAPSED,
    State.ACTIVE,
    State.RELEASED,
    State.CALLED,
    State.CLAIM_PAID,
    State.CLOSED,
}
OFFERED = {
    State.OFFERED,
    State.LAPSED,
    State.ACTIVE,
    State.RELEASED,
    State.CALLED,
    State.CLAIM_PAID,
    State.CLOSED,
}
DISBURSED = {State.ACTIVE, State.RELEASED, State.CALLED, State.CLAIM_PAID, State.CLOSED}
BILLED = {State.ACTIVE, State.CALLED, State.CLAIM_PAID, State.CLOSED, State.RELEASED}
DECLARED = {State.ACTIVE, State.CALLED}
CLAIMED = {State.CLAIM_PAID, State.CLOSED}
# The transitions after which the file waits, with the stored deadline the service would have set.
WAITING_DAYS = {
    State.SUBMITTED: 10,
    State.SCREENING: 20,
    State.INFORMATION_REQUESTED: 30,
    State.UNDER_REVIEW: 30,
    State.CALLED: 30,
}
PURPOSES = [
    "Rénovation énergétique du siège",
    "Achat d'un véhicule adapté pour les visites à domicile",
    "Préfinancement des subsides de fonctionnement",
    "Aménagement d'un centre de jour partagé",
    "Logiciel comptable partagé pour le collectif",
    "Verbouwing van het buurthuis",
    "Zonnepanelen voor het dagcentrum",
    "Aankoop van een gedeeld administratief pand",
]
PROFILES = ["annuity"] * 6 + ["linear"] * 2 + ["bullet", "credit_line"]
RATINGS = "AABBBBCCCDE"
LENDERS = [
    ("Banque Coopérative de Bruxelles", "Coöperatieve Bank van Brussel", "0445678970"),
    ("Crédit Solidaire Bruxelles", "Solidair Krediet Brussel", "0456789081"),
    ("Caisse d'Épargne Sociale", "Sociale Spaarkas", "0467890192"),
]


def _lenders(rng) -> tuple[list[Organisation], dict[int, User], User]:
    """Three lending institutions; `lender@bench.example` belongs to the first two, one more user each."""
    lenders = [
        Organisation(
            name_fr=fr,
            name_nl=nl,
            legal_form=LegalForm.COMPANY,
            enterprise_number=number,
            street="Rue Royale 10",
            postal_code="1000",
            city="Bruxelles",
            iban=IBAN,
            bic=BIC,
            email=f"credit{index}@lender.example",
            is_financial_institution=True,
            headcount_fte=Decimal("40.00"),
            annual_budget=Decimal("5000000.00"),
        )
        for index, (fr, nl, number) in enumerate(LENDERS)
    ]
    Organisation.objects.bulk_create(lenders)
    password = make_password("bench-password-2026")
    users = [User(email=LENDER_EMAIL, first_name="Lender", last_name="Bench", password=password)] + [
        User(email=f"lender{index}@bench.example", password=password) for index in range(1, len(lenders) + 1)
    ]
    User.objects.bulk_create(users)
    memberships = [
        Membership(user=users[0], organisation=lender, role=Membership.Role.ADMIN) for lender in lenders[:2]
    ]
    memberships += [
        Membership(user=user, organisation=lender, role=Membership.Role.ADMIN)
        for user, lender in zip(users[1:], lenders, strict=True)
    ]
    Membership.objects.bulk_create(memberships)
    declarers = {
        lender.pk: (users[0] if index < 2 else users[index + 1]) for index, lender in enumerate(lenders)
    }
    return lenders, declarers, users[0]


def _parameters(fund_capacity_per_request: Decimal, count: int) -> SchemeParameters:
    """The fund (seeded by migration 0002) and a bench version whose capacity fits the volume."""
    fund = Fund.objects.order_by("pk").first() or Fund.objects.create(
        name="Fonds bruxellois de garantie / Brussels waarborgfonds"
    )
    base = SchemeParameters.objects.filter(fund=fund).order_by("-effective_from").first()
    endowment = (fund_capacity_per_request * count / 4).quantize(Decimal("1000"))
    if base is None:
        from guarantees.demo import DEFAULT_PARAMETERS

        return SchemeParameters.objects.create(
            fund=fund, effective_from=date(2022, 1, 1), **{**DEFAULT_PARAMETERS, "endowment": endowment}
        )
    base.endowment = endowment
    base.effective_from = min(base.effective_from, date(2022, 1, 1))
    base.market_premiums = base.market_premiums or {"A": 0.4, "B": 0.8, "C": 2.0, "D": 3.8, "E": 6.3}
    base.save()
    return base


def _state_sequence(count: int, rng) -> list[str]:
    states = [state for state, weight in STATE_WEIGHTS.items() for _ in range(weight)]
    return [states[index % len(states)] for index in rng.sample(range(count), count)]


def build_guarantees(volume, orgs, administrations, *, count: int, rng) -> None:
    now = timezone.now()
    today = timezone.localdate()
    lenders, declarers, lender_user = _lenders(rng)
    parameters = _parameters(Decimal("60000"), count)
    processing = dict(ProcessingDeadline.objects.filter(scheme="guarantees").values_list("state", "days"))
    members = {m.organisation_id: m.user for m in Membership.objects.filter(role=Membership.Role.ADMIN)}
    borrowers = orgs
    requests, plans = [], []
    for index, state in enumerate(_state_sequence(count, rng)):
        code = "cocof" if index % 2 == 0 else "iriscare"
        borrower = borrowers[rng.randrange(len(borrowers) // 2) * 2 + (0 if code == "cocof" else 1)]
        if index < 20 and code == "cocof":
            borrower = orgs[0] if index % 4 == 0 else orgs[2]  # the measured applicant's organisations
        profile = rng.choice(PROFILES)
        months = (
            rng.choice([12, 24, 36]) if profile == "credit_line" else rng.choice([24, 36, 48, 60, 84, 120])
        )
        amount = Decimal(rng.randint(10, 250) * 1_000)
        rate = Decimal(rng.choice(["2.50", "3.00", "3.75", "4.00", "4.50", "5.25"]))
        cap = 50 if profile == "credit_line" else 75
        requested = Decimal(rng.choice([cap, cap - 10, cap - 25]))
        lender = lenders[0 if rng.random() < 0.55 else (1 if rng.random() < 0.6 else 2)]
        # Submitted some time in the last four years; running loans were disbursed within their life.
        submitted_at = (
            None
            if state == State.DRAFT
            else now
            - timedelta(
                days=rng.randint(5, 60) if state in WAITING_DAYS else rng.randint(60, 1400),
                seconds=rng.randint(0, 86_399),  # no two files submitted at the same instant
            )
        )
        request = GuaranteeRequest(
            borrower=borrower,
            lender=lender,
            administration=administrations[code],
            state=state,
            purpose=f"{rng.choice(PURPOSES)} n°{index}",
            loan_amount=amount,
            duration_months=months,
            interest_rate=rate,
            repayment_profile=profile,
            requested_coverage=requested,
            collateral="Mandat hypothécaire" if amount > 100_000 else "",
            submitted_at=submitted_at,
            state_entered_at=submitted_at,
            created_by=members.get(borrower.pk, volume.applicant),
        )
        if state not in (State.DRAFT, State.SUBMITTED, State.WITHDRAWN):
            request.screened_by = volume.staff[f"officer.{code}"]
        if state in REVIEWED and state != State.UNDER_REVIEW:
            request.risk_rating = rng.choice(RATINGS)
            request.recommendation = "reject" if state == State.REJECTED else "offer"
            request.risk_justification = "Comptes équilibrés sur trois ans, subsides récurrents."
            request.risk_reviewed_by = volume.staff[f"officer.{code}"]
            request.risk_reviewed_at = submitted_at + timedelta(days=20)
        if state in OFFERED:
            offered_at = submitted_at + timedelta(days=30)
            request.parameters = parameters
            request.coverage = requested
            request.guaranteed_amount = calculations.guaranteed_part(amount, requested)
            request.fee_rate = parameters.fee_rate
            request.fee_frequency = parameters.fee_frequency
            request.aid_equivalent = calculations.aid_equivalent(
                guaranteed=request.guaranteed_amount,
                months=months,
                market_premium=parameters.market_premium(request.risk_rating),
                fee_rate=parameters.fee_rate,
            )
            request.offered_at = offered_at
            request.offered_by = volume.staff[f"approver.{code}"]
            request.offer_expires_on = calculations.add_months(
                offered_at.date(), parameters.offer_validity_months
            )
            if state == State.OFFERED:  # a live offer: recent enough to be still valid
                request.offered_at = now - timedelta(days=rng.randint(1, 120), seconds=rng.randint(0, 86_399))
                request.submitted_at = request.offered_at - timedelta(days=30)
                request.state_entered_at = request.offered_at
                request.offer_expires_on = calculations.add_months(
                    request.offered_at.date(), parameters.offer_validity_months
                )
        if state in DISBURSED:
            disbursed = (request.offered_at + timedelta(days=rng.randint(10, 60))).date()
            elapsed = (today.year - disbursed.year) * 12 + today.month - disbursed.month
            if state in (State.ACTIVE, State.CALLED, State.CLAIM_PAID) and elapsed >= months:
                months = request.duration_months = max(months, ((elapsed // 12) + 2) * 12)
            request.disbursed_on = disbursed
            request.disbursed_amount = amount
            request.maturity_date = calculations.add_months(disbursed, months)
        # The stored deadline: as `deadline_for_state` gives it when the file entered its state.
        if state in FINISHED or state in (State.DRAFT, State.ACTIVE, State.CLAIM_PAID):
            request.deadline = None
        elif state == State.OFFERED:
            request.deadline = request.offer_expires_on
        else:
            days = processing.get(str(state), WAITING_DAYS.get(state, 30))
            request.deadline = (request.state_entered_at + timedelta(days=days)).date()
        requests.append(request)
        plans.append(code)

    submitted = sorted((r for r in requests if r.submitted_at), key=lambda r: r.submitted_at)
    for number, request in enumerate(submitted, start=1):
        request.reference = f"{PREFIX}-{YEAR}-{number:05d}"
    GuaranteeRequest.objects.bulk_create(requests, batch_size=BATCH)
    ReferenceSequence.objects.update_or_create(
        prefix=PREFIX, year=YEAR, defaults={"last_number": len(submitted)}
    )
    table = GuaranteeRequest._meta.db_table
    with connection.cursor() as cursor:
        # `core.search.text_of`: the SEARCH_FIELDS values that are not empty, one a line.
        cursor.execute(
            f"UPDATE {table} g SET search_text = concat_ws(E'\\n', NULLIF(g.reference, ''), "
            "NULLIF(btrim(g.purpose), ''), NULLIF(b.name_fr, ''), NULLIF(b.name_nl, ''), "
            "NULLIF(b.enterprise_number, ''), NULLIF(l.name_fr, ''), NULLIF(l.name_nl, '')) "
            "FROM accounts_organisation b, accounts_organisation l "
            "WHERE b.id = g.borrower_id AND l.id = g.lender_id"
        )
        cursor.execute(
            f"UPDATE {table} SET created_at = COALESCE(submitted_at - interval '2 days', "
            "%s::timestamptz - (id %% 300) * interval '5 hours'), "
            "updated_at = COALESCE(state_entered_at, submitted_at, %s::timestamptz)",
            [now, now],
        )

    guarantee_type = ContentType.objects.get_for_model(GuaranteeRequest)
    lines, fee_rows, declarations, recoveries = [], [], [], []
    for request, code in zip(requests, plans, strict=True):
        if request.state not in DISBURSED:
            continue
        schedule = calculations.schedule(
            request.repayment_profile,
            request.disbursed_amount,
            request.interest_rate,
            request.duration_months,
            request.disbursed_on,
        )
        lines.extend((request.pk, line) for line in schedule)
        # Fee periods: billed (with their order) when started by today, unless the guarantee ended.
        ended = (
            today
            if request.state in (State.ACTIVE, State.CALLED)
            else request.disbursed_on + timedelta(days=30 * min(request.duration_months, rng.randint(6, 36)))
        )
        for starts_on, ends_on in calculations.fee_periods(
            request.disbursed_on, request.duration_months, parameters.fee_period_months
        ):
            if starts_on > ended and request.state not in (State.ACTIVE, State.CALLED):
                break
            billed = starts_on <= min(ended, today)
            fee = None
            if billed:
                before = starts_on - timedelta(days=1)
                outstanding = (
                    calculations.scheduled_outstanding(request.disbursed_amount, schedule, before)
                    if starts_on > request.disbursed_on
                    else request.disbursed_amount
                )
                fee = calculations.period_fee(
                    calculations.guaranteed_part(outstanding, request.coverage), request.fee_rate, 3
                )
            fee_rows.append((request, code, starts_on, ends_on, fee))
        if request.state in DECLARED or request.state == State.CALLED:
            roll = rng.random()
            arrears_days = 0 if roll < 0.8 else rng.choice([35, 65, 95])
            if request.state == State.CALLED:
                arrears_days = rng.choice([95, 120, 150])
            lag = Decimal("0") if rng.random() < 0.9 else Decimal("1500.00")
            for back in range(rng.randint(1, 4), 0, -1):
                quarter = calculations.add_months(quarter_of(today), -3 * back)
                as_of = quarter_end(quarter)
                if as_of < request.disbursed_on:
                    continue
                scheduled = calculations.scheduled_outstanding(request.disbursed_amount, schedule, as_of)
                declarations.append(
                    LenderDeclaration(
                        request=request,
                        quarter=quarter,
                        as_of=as_of,
                        outstanding_principal=min(request.disbursed_amount, scheduled + lag),
                        arrears_amount=Decimal("1200.00") if arrears_days else Decimal("0.00"),
                        arrears_days=arrears_days if back == 1 else 0,
                        declared_by=declarers[request.lender_id],
                    )
                )
        if request.state in (State.CALLED, *CLAIMED):
            default_date = min(
                today - timedelta(days=50),
                max(request.disbursed_on + timedelta(days=120), today - timedelta(days=rng.randint(50, 400))),
            )
            outstanding = calculations.scheduled_outstanding(request.disbursed_amount, schedule, default_date)
            request.default_date = default_date
            request.default_outstanding = outstanding
            request.arrears_amount = Decimal("2400.00")
            request.arrears_days = 120
            request.claim_amount = calculations.claim_amount(
                coverage=request.coverage,
                outstanding_at_default=outstanding,
                annual_rate=request.interest_rate,
                arrears_days=120,
                covered_interest_days=parameters.interest_covered_days,
            )
            if request.state in CLAIMED:
                request.claim_paid_at = datetime.combine(
                    min(default_date + timedelta(days=45), today - timedelta(days=1)),
                    datetime.min.time(),
                    tzinfo=now.tzinfo,
                )
                for number in range(1 if request.state == State.CLAIM_PAID else 2):
                    recovered = (outstanding * Decimal(rng.choice(["0.05", "0.1", "0.2"]))).quantize(
                        Decimal("1.00")
                    )
                    recoveries.append(
                        (
                            request,
                            code,
                            Recovery(
                                request=request,
                                received_on=default_date + timedelta(days=60 + 40 * number),
                                amount=recovered,
                                fund_share=calculations.recovery_share(recovered, request.coverage),
                                final=request.state == State.CLOSED and number == 1,
                                reported_by=declarers[request.lender_id],
                            ),
                        )
                    )
    GuaranteeRequest.objects.bulk_update(
        [r for r in requests if r.default_date],
        [
            "default_date",
            "default_outstanding",
            "arrears_amount",
            "arrears_days",
            "claim_amount",
            "claim_paid_at",
        ],
        batch_size=BATCH,
    )
    _copy_schedule(lines)

    # Payment orders: one per billed fee period, the claim payout, one per recovery share.
    def order(request, code, kind, amount, text, due, state="pending"):
        placed = PaymentOrder(
            state=state,
            kind=kind,
            amount=amount,
            administration_id=request.administration_id,
            content_type=guarantee_type,
            object_id=request.pk,
            file_reference=request.reference,
            counterparty_name=request.borrower.name_fr[:140],
            counterparty_iban=IBAN,
            counterparty_bic=BIC,
            remittance_information=text[:140],
            due_date=due,
            created_by=volume.staff[f"officer.{code}"],
        )
        if state == "paid":
            placed.approved_by = volume.staff[f"finance.{code}"]
            placed.approved_at = placed.paid_at = now - timedelta(
                days=(today - due).days if due < today else 0
            )
            placed.paid_on = placed.paid_at.date()
        return placed

    fee_orders, periods = [], []
    for request, code, starts_on, ends_on, fee in fee_rows:
        period = FeePeriod(request=request, starts_on=starts_on, ends_on=ends_on, amount=fee)
        if fee is not None:
            due = starts_on + timedelta(days=30)
            paid = due < today - timedelta(days=30) and rng.random() < 0.9
            period.billed_at = datetime.combine(starts_on, datetime.min.time(), tzinfo=now.tzinfo)
            if fee > 0:
                period.payment_order = order(
                    request,
                    code,
                    PaymentOrder.Kind.GUARANTEE_FEE,
                    fee,
                    f"{request.reference} fee {starts_on:%Y-%m}",
                    due,
                    "paid" if paid else "pending",
                )
                fee_orders.append(period.payment_order)
        periods.append(period)
    claim_orders = [
        order(
            r,
            code,
            PaymentOrder.Kind.GUARANTEE_CLAIM_PAYOUT,
            r.claim_amount,
            f"{r.reference} claim",
            r.claim_paid_at.date(),
            "paid",
        )
        for r, code in zip(requests, plans, strict=True)
        if r.claim_paid_at
    ]
    for request, code, recovery in recoveries:
        recovery.payment_order = order(
            request,
            code,
            PaymentOrder.Kind.RECOVERY_SHARE,
            recovery.fund_share,
            f"{request.reference} recovery",
            recovery.received_on + timedelta(days=30),
            "paid" if request.state == State.CLOSED else "pending",
        )
    PaymentOrder.objects.bulk_create(
        fee_orders + claim_orders + [r.payment_order for _r, _c, r in recoveries], batch_size=BATCH
    )
    for period in periods:
        period.payment_order_id = period.payment_order.pk if period.payment_order else None
    FeePeriod.objects.bulk_create(periods, batch_size=BATCH)
    LenderDeclaration.objects.bulk_create(declarations, batch_size=BATCH)
    # What saving a declaration stores (services.declare, uploads): the work queue's flag.
    refresh_monitoring_flags({declaration.request_id for declaration in declarations})
    Recovery.objects.bulk_create([r for _r, _c, r in recoveries], batch_size=BATCH)
    volume.lender = lender_user
    volume.counts.update(
        guarantee_requests=len(requests),
        schedule_lines=len(lines),
        fee_periods=len(periods),
        guarantee_payment_orders=len(fee_orders) + len(claim_orders) + len(recoveries),
        lender_declarations=len(declarations),
        recoveries=len(recoveries),
    )


def _copy_schedule(lines) -> None:
    """The schedule lines through COPY: a few hundred thousand rows in a few seconds."""
    columns = "request_id, number, due_date, principal, interest, outstanding_after"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY guarantees_scheduleline ({columns}) FROM STDIN") as copy,
    ):
        for request_id, line in lines:
            copy.write_row(
                (
                    request_id,
                    line.number,
                    line.due_date,
                    line.principal,
                    line.interest,
                    line.outstanding_after,
                )
            )


# -- what bench.run measures -------------------------------------------------------------------------


def guarantee_pages(officer, officer_web, officer_api, lender_web) -> list[tuple[str, str, dict, bool]]:
    """The guarantee pages, for `bench.run._setup` (label, path, headers, export)."""
    listed = GuaranteeRequest.objects.filter(administration__code="cocof").exclude(state=State.DRAFT).count()
    web_page, api_page = max(1, listed // WEB_PAGE_SIZE), max(1, listed // 25)
    running = (
        GuaranteeRequest.objects.filter(administration__code="cocof", state=State.ACTIVE)
        .exclude(declarations=None)
        .order_by("pk")
        .first()
    )
    page, api = running.get_absolute_url(), f"/api/v1/guarantees/requests/{running.pk}/"
    return [
        ("guarantees /guarantees/requests/", "/guarantees/requests/", officer_web, False),
        ("guarantees ?sort=deadline", "/guarantees/requests/?sort=deadline", officer_web, False),
        (f"guarantees ?page={web_page}", f"/guarantees/requests/?page={web_page}", officer_web, False),
        ("API guarantees", "/api/v1/guarantees/requests/", officer_api, False),
        (
            f"API guarantees ?page={api_page}",
            f"/api/v1/guarantees/requests/?page={api_page}",
            officer_api,
            False,
        ),
        ("guarantee page /guarantees/requests/<id>/", page, officer_web, False),
        ("API guarantee", api, officer_api, False),
        ("API guarantee transitions/", api + "transitions/", officer_api, False),
        ("guarantees /guarantees/portfolio/", "/guarantees/portfolio/", officer_web, False),
        ("API guarantees/portfolio/ (exposure)", "/api/v1/guarantees/portfolio/", officer_api, False),
        ("guarantee certificate PDF", page + "certificate.pdf", officer_web, False),
        ("guarantee offer letter PDF", page + "offer-letter.pdf", officer_web, False),
        ("lender /guarantees/loans/", "/guarantees/loans/", lender_web, False),
        ("officer /work-queue/ (with guarantees)", "/work-queue/", officer_web, False),
    ]


def measure_in_process(repeat: int = 20) -> list[str]:
    """Exposure and remaining capacity computed by the database (target ≤ 50 ms), and a 1,000-row
    lender CSV upload validated and applied (target ≤ 2 s), rolled back so the pages see the build."""
    import csv
    import io
    import statistics
    import time

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from guarantees import selectors
    from guarantees.uploads import lender_loans, upload_declarations

    def timed(function, times):
        durations = []
        for _ in range(times):
            start = time.perf_counter()
            function()
            durations.append((time.perf_counter() - start) * 1000)
        return statistics.median(durations), max(durations)

    lines = []
    selectors.fund_status()  # connects and warms the plan cache
    p50, worst = timed(selectors.fund_status, repeat)
    status = selectors.fund_status()
    lines.append(
        f"fund_status() (exposure + remaining capacity, SQL): p50 {p50:.1f} ms, max {worst:.1f} ms "
        f"over {repeat}; exposure {status['exposure']:,} of {status['capacity']:,} ({status['use']} %)"
    )
    p50, worst = timed(lambda: selectors.portfolio("rating"), repeat)
    lines.append(f"portfolio('rating') (exposure grouped, SQL): p50 {p50:.1f} ms, max {worst:.1f} ms")

    lender = User.objects.get(email=LENDER_EMAIL)
    loans = sorted(lender_loans(lender).values(), key=lambda loan: loan.reference)[:1_000]
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "as_of", "outstanding_principal", "arrears_amount", "arrears_days"])
    for index, loan in enumerate(loans):
        outstanding = (loan.disbursed_amount * Decimal("0.8")).quantize(Decimal("0.01"))
        writer.writerow(
            [loan.reference, today.isoformat(), outstanding, "0.00" if index % 10 else "800.00", 0]
        )
    content = out.getvalue().encode()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        start = time.perf_counter()
        outcome = upload_declarations(acting_user=lender, quarter=today, content=content)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    lines.append(
        f"lender CSV upload, {len(loans):,} rows validated and applied: {seconds:.2f} s, "
        f"{len(queries.captured_queries):,} queries ({outcome['applied']} applied; rolled back)"
    )
    lines.append(measure_sepa_export())
    connection.close()
    return lines


def ready_for_export(administration, count: int) -> int:
    """The administration gets its bank account and `count` approved, not yet exported outgoing
    orders with the payee's account; its other orders count as exported. Returns how many are ready."""
    administration.iban, administration.bic = "BE68539007547034", "GEBABEBB"
    administration.save(update_fields=["iban", "bic"])
    chosen = list(
        PaymentOrder.objects.filter(administration=administration, amount__gt=0)
        .exclude(kind__in=PaymentOrder.RECEIVABLE_KINDS)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    PaymentOrder.objects.filter(administration=administration).update(exported_at=timezone.now())
    PaymentOrder.objects.filter(pk__in=chosen).update(
        state=PaymentOrder.State.APPROVED,
        exported_at=None,
        sepa_batch=None,
        counterparty_iban="BE71096123456769",
        counterparty_bic="GKCCBEBB",
    )
    return len(chosen)


def measure_sepa_export(count: int = 1_000) -> str:
    """One administration's pain.001 file of `count` approved orders: checked, built, validated
    against the XSD and recorded (target ≤ 2 s), rolled back so the pages see the build."""
    import time

    from django.db import transaction

    from accounts.models import Administration
    from core.sepa import export_payment_orders

    finance = User.objects.filter(staff_roles__role="finance").first()
    administration = Administration.objects.get(pk=finance.staff_roles.first().administration_id)
    with transaction.atomic():
        ready_for_export(administration, count)
        start = time.perf_counter()
        export = export_payment_orders(administration=administration, acting_user=finance)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return (
        f"SEPA export of {export.count:,} orders (checked, pain.001 built, XSD-validated, recorded): "
        f"{seconds:.2f} s, {len(export.xml) / 1e6:.2f} MB (rolled back)"
    )
