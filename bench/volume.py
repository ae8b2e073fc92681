"""The benchmark's volume, built with `bulk_create` in a few dozen statements per thousand files.

    build_volume(files=20_000, organisations=2_000)

Organisations are eligible Brussels non-profits recognised by Cocof or COCOM (routed to Iriscare);
grant files are spread over every state of `grants.workflow.State`, each with what its state implies:
partners, budget lines, reviews once reviewed, one history row per transition, the award's
reservation and payment orders. Only the fields the pages read are set: model defaults fill the rest,
so new nullable or defaulted columns need no change here. Runs on an empty, migrated database.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import (
    Administration,
    JointCommittee,
    LegalForm,
    Membership,
    Organisation,
    Recognition,
    RecognitionAuthority,
    StaffRole,
    User,
)
from accounts.reference_data import load_reference_data
from bench.guarantees_volume import build_guarantees
from bench.mentoring_volume import build_mentoring
from core.models import HistoryEntry, PaymentOrder, ReferenceSequence
from core.schemes import scheme_of
from grants.choices import BudgetCategory, Recommendation
from grants.models import BudgetLine, Call, Envelope, GrantApplication, Review
from grants.states import FINISHED, RESERVING, State

PASSWORD = "bench-password-2026"
IBAN, BIC = "BE71096123456769", "GKCCBEBB"
YEAR = 2026
PREFIX = scheme_of(GrantApplication).reference_prefix  # the registry's, as the submission uses
BATCH = 2_000

# Share of files per state (sums to 100): enough of each for every page to have rows.
STATE_WEIGHTS = {
    State.DRAFT: 6,
    State.SUBMITTED: 9,
    State.SCREENING: 8,
    State.INFORMATION_REQUESTED: 5,
    State.INELIGIBLE: 4,
    State.UNDER_REVIEW: 12,
    State.APPROVED: 8,
    State.REJECTED: 9,
    State.IN_PROGRESS: 14,
    State.LAPSED: 3,
    State.FINAL_REPORT_SUBMITTED: 5,
    State.CLOSED: 11,
    State.TERMINATED: 2,
    State.WITHDRAWN: 4,
}

# The transitions that lead from a draft to each state, in order (what the history must show).
_SCREENED = ["submit", "start_screening"]
_REVIEWED = [*_SCREENED, "admit"]
_AWARDED = [*_REVIEWED, "approve"]
_RUNNING = [*_AWARDED, "accept"]
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: ["submit"],
    State.SCREENING: _SCREENED,
    State.INFORMATION_REQUESTED: [*_SCREENED, "request_information"],
    State.INELIGIBLE: [*_SCREENED, "declare_ineligible"],
    State.UNDER_REVIEW: _REVIEWED,
    State.APPROVED: _AWARDED,
    State.REJECTED: [*_REVIEWED, "reject"],
    State.IN_PROGRESS: _RUNNING,
    State.LAPSED: [*_AWARDED, "lapse"],
    State.FINAL_REPORT_SUBMITTED: [*_RUNNING, "submit_final_report"],
    State.CLOSED: [*_RUNNING, "submit_final_report", "close"],
    State.TERMINATED: [*_RUNNING, "terminate"],
    State.WITHDRAWN: ["submit", "withdraw"],
}
TARGETS = {
    "submit": State.SUBMITTED,
    "start_screening": State.SCREENING,
    "request_information": State.INFORMATION_REQUESTED,
    "declare_ineligible": State.INELIGIBLE,
    "admit": State.UNDER_REVIEW,
    "approve": State.APPROVED,
    "reject": State.REJECTED,
    "accept": State.IN_PROGRESS,
    "lapse": State.LAPSED,
    "submit_final_report": State.FINAL_REPORT_SUBMITTED,
    "close": State.CLOSED,
    "terminate": State.TERMINATED,
    "withdraw": State.WITHDRAWN,
}
COMMENTS = {
    "request_information": "Merci de joindre le budget détaillé par partenaire.",
    "declare_ineligible": "Le chef de file n'est pas reconnu au titre de l'accord non marchand.",
    "reject": "Le projet ne relève pas d'une mutualisation au sens de l'appel.",
    "terminate": "Le partenariat a été dissous en cours de projet.",
}
# Who performs each transition: the applicant, the officer, the approver or nobody (the scheduler).
ACTORS = {
    "submit": "applicant",
    "withdraw": "applicant",
    "accept": "applicant",
    "submit_final_report": "applicant",
    "approve": "approver",
    "reject": "approver",
    "close": "approver",
    "terminate": "approver",
    "lapse": None,
}
REVIEWED_STATES = set(State) - {
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.INFORMATION_REQUESTED,
    State.INELIGIBLE,
    State.WITHDRAWN,
}
ORDERED_STATES = {State.IN_PROGRESS, State.FINAL_REPORT_SUBMITTED, State.CLOSED, State.TERMINATED}
BUDGET_WORDS = ["Coordination", "Logiciel partagé", "Local commun", "Formation", "Comptabilité"]


def enterprise_number(n: int) -> str:
    base = f"{5_000_000 + n:08d}"
    return f"{base}{97 - int(base) % 97:02d}"


@dataclass
class Volume:
    """What the runner needs to know about what was built."""

    staff: dict[str, User] = field(default_factory=dict)  # "officer.cocof" → user
    applicant: User | None = None
    lender: User | None = None  # lender@bench.example (bench.guarantees_volume)
    guarantee_seconds: float = 0.0  # of `seconds`, building the guarantees
    mentoring_seconds: float = 0.0  # of `seconds`, building the peer mentoring
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _users(organisations: list[Organisation], administrations: dict[str, Administration], rng) -> Volume:
    volume = Volume()
    password = make_password(PASSWORD)  # hashed once: PBKDF2 per user would take minutes
    staff = [
        User(email=f"{role}.{code}@bench.example", first_name=role.title(), last_name=code, password=password)
        for code in administrations
        for role in ["officer", "reviewer", "approver", "finance"]
    ]
    User.objects.bulk_create(staff)
    roles = []
    for user in staff:
        role, code = user.email.split("@")[0].split(".")
        volume.staff[f"{role}.{code}"] = user
        staff_role = StaffRole.Role.OFFICER if role == "reviewer" else role
        roles.append(StaffRole(user=user, administration=administrations[code], role=staff_role))
    StaffRole.objects.bulk_create(roles)

    # One applicant per tenth organisation; the measured applicant belongs to three.
    applicants = [
        User(email=f"applicant{index}@bench.example", password=password, preferred_language=rng.choice("ffn"))
        for index in range(len(organisations) // 10)
    ]
    User.objects.bulk_create(applicants)
    memberships = [
        Membership(user=user, organisation=organisations[index * 10], role=Membership.Role.ADMIN)
        for index, user in enumerate(applicants)
    ]
    memberships += [
        Membership(user=applicants[0], organisation=organisations[index], role=Membership.Role.MEMBER)
        for index in (1, 2)
    ]
    Membership.objects.bulk_create(memberships)
    volume.applicant = applicants[0]
    volume.counts["users"] = len(staff) + len(applicants)
    return volume


def _organisations(count: int, rng) -> list[Organisation]:
    organisations = [
        Organisation(
            name_fr=f"ASBL Mutualisation n°{n}",
            name_nl=f"vzw Mutualisering nr. {n}" if n % 3 else "",
            legal_form=LegalForm.ASBL,
            enterprise_number=enterprise_number(n),
            street=f"Rue de la Loi {n % 200 + 1}",
            postal_code=rng.choice(["1000", "1030", "1050", "1060", "1070", "1080", "1180"]),
            city="Bruxelles",
            iban=IBAN,
            bic=BIC,
            email=f"contact{n}@asbl.example",
            headcount_fte=Decimal(rng.randint(2, 120)),
            annual_budget=Decimal(rng.randint(80, 6_000) * 1_000),
        )
        for n in range(count)
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    committee = JointCommittee.objects.get(number="319")
    Through = Organisation.joint_committees.through
    Through.objects.bulk_create(
        [Through(organisation_id=o.pk, jointcommittee_id=committee.pk) for o in organisations],
        batch_size=BATCH,
    )
    # Even organisations are recognised by Cocof, odd ones by COCOM (whose files go to Iriscare).
    authorities = {a.code: a for a in RecognitionAuthority.objects.all()}
    now = timezone.now()
    Recognition.objects.bulk_create(
        [
            Recognition(
                organisation=o,
                authority=authorities["cocof" if index % 2 == 0 else "cocom"],
                joint_committee=committee,
                reference=f"REC-{index:05d}",
                valid_from=date(2020, 1, 1),
                verified_at=now,
            )
            for index, o in enumerate(organisations)
        ],
        batch_size=BATCH,
    )
    return organisations


def _calls(administrations: dict[str, Administration]) -> list[Call]:
    today = timezone.localdate()
    calls = [
        Call.objects.create(
            title_fr="Appel à projets mutualisation 2025",
            title_nl="Oproep mutualiseringsprojecten 2025",
            opens_on=date(2025, 2, 1),
            closes_on=date(2025, 4, 30),
        ),
        Call.objects.create(
            title_fr="Appel à projets mutualisation 2026",
            title_nl="Oproep mutualiseringsprojecten 2026",
            opens_on=min(date(2026, 1, 15), today - timedelta(days=30)),
            closes_on=max(date(2026, 12, 31), today + timedelta(days=90)),
        ),
    ]
    Envelope.objects.bulk_create(
        [
            Envelope(call=call, administration=administration, amount=Decimal("500000000.00"))
            for call in calls
            for administration in administrations.values()
        ]
    )
    return calls


def _state_sequence(count: int, rng) -> list[str]:
    states = [state for state, weight in STATE_WEIGHTS.items() for _ in range(weight)]
    return [states[index % len(states)] for index in rng.sample(range(count), count)]


def build_volume(*, files: int = 20_000, organisations: int = 2_000, seed: int = 2026) -> Volume:
    """Build the whole volume (expects reference data to be missing or loaded, nothing else)."""
    start = time.perf_counter()
    rng = random.Random(seed)
    load_reference_data()
    administrations = {a.code: a for a in Administration.objects.order_by("code")}
    with transaction.atomic():
        orgs = _organisations(organisations, rng)
        volume = _users(orgs, administrations, rng)
        calls = _calls(administrations)
        _files(files, orgs, calls, administrations, volume, rng)
        mentoring_started = time.perf_counter()
        build_mentoring(orgs, volume, agreements=files // 20, rng=rng)  # 1,000 agreements at full scale
        volume.mentoring_seconds = time.perf_counter() - mentoring_started
        # The credit guarantees: one request for four grant files (5,000 at full scale).
        guarantees_started = time.perf_counter()
        build_guarantees(volume, orgs, administrations, count=max(20, files // 4), rng=rng)
        volume.guarantee_seconds = time.perf_counter() - guarantees_started
    with connection.cursor() as cursor:
        # What autovacuum will have done to data this old: statistics, and the visibility map, without
        # which an index-only scan still reads the table for every row. VACUUM runs only outside a
        # transaction (a test's database is inside one) and on PostgreSQL.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    volume.seconds = time.perf_counter() - start
    return volume


def _files(count, orgs, calls, administrations, volume, rng) -> None:
    grant_type = ContentType.objects.get_for_model(GrantApplication)
    members = {m.organisation_id: m.user for m in Membership.objects.filter(role=Membership.Role.ADMIN)}
    fallback_applicant = volume.applicant
    now = timezone.now()
    states = _state_sequence(count, rng)
    applications, plans = [], []
    for index, state in enumerate(states):
        # The first half is Cocof's (even leads), the second Iriscare's (odd leads).
        code = "cocof" if index < count // 2 else "iriscare"
        lead = orgs[(rng.randrange(len(orgs) // 2) * 2) + (0 if code == "cocof" else 1)]
        if index < 30 and code == "cocof":
            lead = orgs[index % 3]  # the measured applicant's organisations lead some files
        call = calls[1] if state == State.DRAFT or rng.random() < 0.5 else calls[0]
        started = datetime.combine(call.opens_on, datetime.min.time(), tzinfo=now.tzinfo) + timedelta(
            days=rng.randint(0, 60), minutes=rng.randint(0, 1440)
        )
        requested = Decimal(rng.randint(10, 150) * 1_000)
        path = PATHS[state]
        awarded = (requested * Decimal(rng.choice(["1", "0.9", "0.8"]))).quantize(Decimal("1.00"))
        submitted_at = started + timedelta(days=rng.randint(1, 20)) if path else None
        application = GrantApplication(
            call=call,
            lead_organisation=lead,
            administration=administrations[code],
            state=state,
            title=f"Mutualisation {rng.choice(BUDGET_WORDS).lower()} n°{index}",
            description="Mise en commun de fonctions support entre associations partenaires.",
            requested_amount=requested,
            start_date=call.closes_on + timedelta(days=60),
            end_date=call.closes_on + timedelta(days=60 + 365 * rng.choice([1, 2])),
            submitted_at=submitted_at,
            created_by=members.get(lead.pk, fallback_applicant),
        )
        if "start_screening" in path:
            application.screened_by = volume.staff[f"officer.{code}"]
        if "approve" in path:
            application.awarded_amount = awarded
            application.acceptance_deadline = (submitted_at + timedelta(days=120)).date()
            application.decided_at = submitted_at + timedelta(days=60)
        if state in RESERVING:
            application.reserved_amount = awarded
        if state in (State.CLOSED, State.TERMINATED):
            application.accepted_expenses = (awarded * Decimal(rng.choice(["1.05", "0.95", "0.6"]))).quantize(
                Decimal("1.00")
            )
        if state == State.REJECTED:
            application.decided_at = submitted_at + timedelta(days=60)
        # The stored deadline, as the transition service would have set it when the file entered
        # its state (processing days for the states that wait on the administration).
        application.state_entered_at = submitted_at
        if state in FINISHED:
            application.deadline = None
        elif state == State.DRAFT:
            application.deadline = call.closes_on
        elif state == State.APPROVED:
            application.deadline = application.acceptance_deadline
        elif state == State.IN_PROGRESS:
            application.deadline = application.end_date
        else:
            application.deadline = (submitted_at + timedelta(days=rng.choice([10, 30, 45]))).date()
        applications.append(application)
        plans.append((code, path))

    # References in submission order, numbered like `core.references` does (MUT-2026-00001).
    submitted = sorted((a for a in applications if a.submitted_at), key=lambda a: a.submitted_at)
    for number, application in enumerate(submitted, start=1):
        application.reference = f"{PREFIX}-{YEAR}-{number:05d}"
    GrantApplication.objects.bulk_create(applications, batch_size=BATCH)
    ReferenceSequence.objects.update_or_create(
        prefix=PREFIX, year=YEAR, defaults={"last_number": len(submitted)}
    )
    # The search box's text, as `GrantApplication.save` writes it (bulk_create does not call save).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE grants_grantapplication g SET search_text = concat_ws(E'\\n', g.reference, g.title, "
            "g.description, NULLIF(o.name_fr, ''), NULLIF(o.name_nl, ''), o.enterprise_number) "
            "FROM accounts_organisation o WHERE o.id = g.lead_organisation_id"
        )
    # auto_now(_add) stamped every row with now: give each the date its story implies.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {GrantApplication._meta.db_table} SET created_at = %s::timestamptz "
            "- (id %% 500) * interval '17 hours', updated_at = COALESCE(submitted_at, %s::timestamptz)",
            [now, now],
        )

    partners, lines, reviews, history, orders = [], [], [], [], []
    Partner = GrantApplication.partners.through
    for application, (code, path) in zip(applications, plans, strict=True):
        for partner in rng.sample(orgs, rng.randint(1, 3)):
            if partner.pk != application.lead_organisation_id:
                partners.append(Partner(grantapplication_id=application.pk, organisation_id=partner.pk))
        shares = [rng.randint(1, 5) for _ in range(rng.randint(2, 4))]
        for category, share in zip(
            rng.sample(list(BudgetCategory.values), len(shares)), shares, strict=False
        ):
            amount = (application.requested_amount * share / sum(shares)).quantize(Decimal("1.00"))
            lines.append(
                BudgetLine(application=application, category=category, description=category, amount=amount)
            )
        if application.state in REVIEWED_STATES:
            reviewers = ["reviewer"] if rng.random() < 0.6 else ["reviewer", "officer"]
            for who in reviewers:
                marks = [rng.randint(2, 5) for _ in Review.SCORE_FIELDS]
                reviews.append(
                    Review(
                        application=application,
                        reviewer=volume.staff[f"{who}.{code}"],
                        recommendation=Recommendation.AWARD if sum(marks) > 16 else Recommendation.REJECT,
                        **dict(zip(Review.SCORE_FIELDS, marks, strict=True)),
                    )
                )
        history += _history(application, code, path, volume, grant_type)
        orders += _orders(application, code, volume, grant_type, rng)
    Partner.objects.bulk_create(partners, batch_size=BATCH * 5)
    BudgetLine.objects.bulk_create(lines, batch_size=BATCH * 5)
    Review.objects.bulk_create(reviews, batch_size=BATCH * 5)
    HistoryEntry.objects.bulk_create(history, batch_size=BATCH * 5)
    PaymentOrder.objects.bulk_create(orders, batch_size=BATCH * 5)
    volume.counts.update(
        organisations=len(orgs),
        applications=len(applications),
        partners=len(partners),
        budget_lines=len(lines),
        reviews=len(reviews),
        history_entries=len(history),
        payment_orders=len(orders),
    )


def _history(application, code, path, volume, grant_type) -> list[HistoryEntry]:
    entries, source, at = [], State.DRAFT, application.submitted_at
    for step, name in enumerate(path):
        actor = ACTORS.get(name, "officer")
        parameters = {"awarded_amount": str(application.awarded_amount)} if name == "approve" else {}
        if name in ("close", "terminate"):
            parameters = {"accepted_expenses": str(application.accepted_expenses)}
        entries.append(
            HistoryEntry(
                content_type=grant_type,
                object_id=application.pk,
                transition=name,
                source_state=source,
                target_state=TARGETS[name],
                actor=application.created_by
                if actor == "applicant"
                else (volume.staff[f"{actor}.{code}"] if actor else None),
                at=at + timedelta(days=step * 9, hours=step),
                comment=COMMENTS.get(name, ""),
                parameters=parameters,
            )
        )
        source = TARGETS[name]
    return entries


def _orders(application, code, volume, grant_type, rng) -> list[PaymentOrder]:
    """The advance once accepted, the balance (or a recovery) once settled, in plausible states."""
    if application.state not in ORDERED_STATES:
        return []
    advance = (application.awarded_amount * application.call.advance_percentage / 100).quantize(
        Decimal("1.00")
    )
    settled = application.state in (State.CLOSED, State.TERMINATED)
    kinds = [(PaymentOrder.Kind.GRANT_ADVANCE, advance, "paid" if settled else None)]
    if settled:
        balance = min(application.awarded_amount, application.accepted_expenses) - advance
        if balance > 0:
            kinds.append((PaymentOrder.Kind.GRANT_BALANCE, balance, None))
        elif balance < 0:
            kinds.append((PaymentOrder.Kind.GRANT_RECOVERY, -balance, None))
    orders = []
    for kind, amount, forced in kinds:
        state = forced or rng.choice(["pending", "pending", "approved", "paid", "paid", "paid", "cancelled"])
        decided = application.decided_at
        order = PaymentOrder(
            state=state,
            kind=kind,
            amount=amount,
            administration=application.administration,
            content_type=grant_type,
            object_id=application.pk,
            file_reference=application.reference,
            counterparty_name=application.lead_organisation.name_fr,
            counterparty_iban=IBAN,
            counterparty_bic=BIC,
            remittance_information=f"{application.reference} {kind}",
            due_date=(decided + timedelta(days=30)).date(),
            created_by=volume.staff[f"officer.{code}"],
        )
        if state in ("approved", "paid"):
            order.approved_by = volume.staff[f"finance.{code}"]
            order.approved_at = decided + timedelta(days=20)
        if state == "paid":
            order.paid_at = decided + timedelta(days=25)
            order.paid_on = order.paid_at.date()
        orders.append(order)
    return orders
