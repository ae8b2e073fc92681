"""The paid peer mentoring part of the benchmark's volume, built with `bulk_create` after the grants.

    build_mentoring(orgs, volume, agreements=1_000, rng=rng)   # called by bench.volume.build_volume

A few hundred mentor organisations (a third because of a closed grant of the volume, the rest
approved on evidence) with their profile (types, legal forms, languages, joint committee), 1,000
agreements with mentee organisations spread over every agreement state, one hours declaration per
agreement and month in every declaration state (≈ 10,000 lines), a compensation payment order per
validated declaration, references `MEN-2026-00001`… in submission order, stored deadlines and the
search text as `WorkflowFile.save` writes it. Members: `mentor@bench.example` (admin of the busiest
mentor, whose first agreement has 24 monthly declarations: the cap check is measured on it), one
member per mentor and per mentee organisation without one. Small scale: proportionally fewer.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from accounts.models import Administration, JointCommittee, Membership, Organisation, User
from core.models import PaymentOrder, ProcessingDeadline, ReferenceSequence
from grants.choices import InitiativeLegalForm, MutualisationType
from grants.models import GrantApplication
from grants.states import State as GrantState
from peer_mentoring.choices import Activity, MentorSource, Side
from peer_mentoring.models import Agreement, DeclarationLine, Expertise, HoursDeclaration, Mentor
from peer_mentoring.states import AgreementState, DeclarationState

PREFIX, YEAR, BATCH = "MEN", 2026, 5_000
IBAN, BIC = "BE71096123456769", "GKCCBEBB"
RATE = Decimal("60.00")
# Share of agreements per state (sums to 100); the running and finished ones carry declarations.
AGREEMENT_WEIGHTS = {
    AgreementState.DRAFT: 5,
    AgreementState.PROPOSED: 6,
    AgreementState.SUBMITTED: 9,
    AgreementState.ACTIVE: 40,
    AgreementState.REJECTED: 5,
    AgreementState.COMPLETED: 25,
    AgreementState.TERMINATED: 5,
    AgreementState.WITHDRAWN: 5,
}
APPROVED = {AgreementState.ACTIVE, AgreementState.COMPLETED, AgreementState.TERMINATED}
REFERENCED = {AgreementState.SUBMITTED, AgreementState.REJECTED} | APPROVED
PROJECTS = ["Secrétariat social partagé", "Comptabilité commune", "Local mutualisé", "Achats groupés"]
FINISHED_AGREEMENTS = {
    AgreementState.REJECTED,
    AgreementState.COMPLETED,
    AgreementState.TERMINATED,
    AgreementState.WITHDRAWN,
}


def _months(first: date, count: int) -> list[date]:
    months, month = [], first.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


# The latest two months of a running agreement, in turn (so even the small scale has each state).
PENDING_CYCLE = [
    DeclarationState.DRAFT,
    DeclarationState.SUBMITTED,
    DeclarationState.CONFIRMED,
    DeclarationState.CONTESTED,
    DeclarationState.VALIDATED,
    DeclarationState.SUBMITTED,
    DeclarationState.CONFIRMED,
]


def _declaration_state(agreement_state: str, index: int, count: int, turns: list[int]) -> str:
    """Older months are settled (one in ten rejected); the latest ones of a running agreement are in
    every state. `turns` counts the settled and the pending declarations built so far."""
    if agreement_state != AgreementState.ACTIVE or index < count - 2:
        turns[0] += 1
        return DeclarationState.REJECTED if turns[0] % 10 == 0 else DeclarationState.VALIDATED
    turns[1] += 1
    return PENDING_CYCLE[(turns[1] - 1) % len(PENDING_CYCLE)]


def _agreement_states(count: int, rng) -> list[str]:
    """The first agreement is active (the busy one); every state at least once, the rest by weight."""
    weighted = [s for s, weight in AGREEMENT_WEIGHTS.items() for _ in range(weight)]
    rest = max(0, count - 1 - len(AGREEMENT_WEIGHTS))
    others = list(AGREEMENT_WEIGHTS) + [weighted[i * len(weighted) // rest] for i in range(rest)]
    rng.shuffle(others)
    return [AgreementState.ACTIVE, *others][:count]


def _processing_days() -> dict[tuple[str, str], int]:
    return {
        (scheme, state): days
        for scheme, state, days in ProcessingDeadline.objects.values_list("scheme", "state", "days")
    }


def build_mentoring(orgs: list[Organisation], volume, *, agreements: int, rng) -> None:
    now = timezone.now()
    today = timezone.localdate()
    password = (
        User.objects.filter(email__endswith="@bench.example").values_list("password", flat=True).first()
    )
    password = password or make_password("bench-password-2026")
    members = {m.organisation_id: m.user_id for m in Membership.objects.filter(role=Membership.Role.ADMIN)}

    # -- mentors: the leads of closed grants first, then organisations approved on evidence
    mentor_count = max(6, agreements * 3 // 10)
    closed = {}
    for grant_id, lead_id in (
        GrantApplication.objects.filter(state=GrantState.CLOSED)
        .order_by("pk")
        .values_list("pk", "lead_organisation_id")
    ):
        if lead_id > orgs[2].pk:  # orgs 0–2 are the measured applicant's: mentees
            closed.setdefault(lead_id, grant_id)
    by_pk = {o.pk: o for o in orgs}
    mentor_orgs = [by_pk[pk] for pk in list(closed)[: mentor_count // 3]]
    taken = {o.pk for o in mentor_orgs}
    # Orgs 0–2 belong to the measured applicant (mentee side); mentors come from the top of the list.
    for organisation in reversed(orgs):
        if len(mentor_orgs) >= mentor_count:
            break
        if organisation.pk not in taken and organisation.pk > orgs[2].pk:
            mentor_orgs.append(organisation)
            taken.add(organisation.pk)
    mentors = [
        Mentor(
            organisation=organisation,
            source=MentorSource.CLOSED_GRANT if organisation.pk in closed else MentorSource.APPLICATION,
            grant_id=closed.get(organisation.pk),
            availability_hours=rng.choice([10, 20, 30, 40]),
            presentation=f"Nous avons mutualisé {rng.choice(PROJECTS).lower()} avec des partenaires.",
            state="active" if index % 25 else "suspended",
        )
        for index, organisation in enumerate(mentor_orgs)
    ]
    Mentor.objects.bulk_create(mentors, batch_size=BATCH)
    Organisation.objects.filter(pk__in=[m.organisation_id for m in mentors if m.state == "active"]).update(
        is_mentor=True
    )
    expertise = []
    types, forms = list(MutualisationType.values), list(InitiativeLegalForm.values)
    for mentor in mentors:
        for value in rng.sample(types, rng.randint(2, 4)):
            expertise.append(Expertise(mentor=mentor, kind=Expertise.Kind.TYPE, value=value))
        for value in rng.sample(forms, rng.randint(1, 2)):
            expertise.append(Expertise(mentor=mentor, kind=Expertise.Kind.LEGAL_FORM, value=value))
        for value in {"fr", rng.choice(["fr", "nl", "en"])}:
            expertise.append(Expertise(mentor=mentor, kind=Expertise.Kind.LANGUAGE, value=value))
    Expertise.objects.bulk_create(expertise, batch_size=BATCH)
    committee = JointCommittee.objects.get(number="319")
    Through = Mentor.joint_committees.through
    Through.objects.bulk_create(
        [Through(mentor_id=m.pk, jointcommittee_id=committee.pk) for m in mentors], batch_size=BATCH
    )

    # -- members: mentor@bench.example for the busiest mentor, one member per organisation lacking one
    mentees = [o for o in orgs if o.pk not in taken]
    busiest = next(m for m in mentors if m.state == "active")
    users = [User(email="mentor@bench.example", password=password, first_name="Mentor", last_name="Bench")]
    wanted = [busiest.organisation_id]
    for organisation in [*(m.organisation for m in mentors), *mentees[: agreements // 2]]:
        if organisation.pk not in members and organisation.pk != busiest.organisation_id:
            kind = "mentor" if organisation.pk in taken else "mentee"
            users.append(User(email=f"{kind}{organisation.pk}@bench.example", password=password))
            wanted.append(organisation.pk)
    User.objects.bulk_create(users, batch_size=BATCH)
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation_id=pk, role=Membership.Role.ADMIN)
            for user, pk in zip(users, wanted, strict=True)
        ],
        batch_size=BATCH,
    )
    for user, pk in zip(users, wanted, strict=True):
        members.setdefault(pk, user.pk)
    volume.staff["mentor"] = users[0]

    # -- agreements
    administrations = dict(Administration.objects.values_list("code", "pk"))
    position = {o.pk: index for index, o in enumerate(orgs)}
    days = _processing_days()
    states = _agreement_states(agreements, rng)
    active_mentors = [m for m in mentors if m.state == "active"]
    rows = []
    for index in range(agreements):
        state = states[index]
        mentor = busiest if index < max(3, agreements // 50) else rng.choice(active_mentors)
        mentee = mentees[index % 3] if index < 6 else rng.choice(mentees[: agreements // 2])
        months = 24 if index == 0 else rng.randint(2, 6)
        starts = _months(today.replace(day=1) - timedelta(days=31 * months), 1)[0]
        ends = starts + timedelta(days=31 * months + (60 if state == AgreementState.ACTIVE else -10))
        code = "cocof" if position[mentee.pk] % 2 == 0 else "iriscare"
        submitted_at = datetime.combine(starts - timedelta(days=20), datetime.min.time(), tzinfo=now.tzinfo)
        agreement = Agreement(
            mentor_id=mentor.organisation_id,
            mentee=mentee,
            administration_id=administrations[code],
            state=state,
            project=f"{rng.choice(PROJECTS)} n°{index}",
            objectives="Accompagner la mise en commun des fonctions support entre associations.",
            starts_on=starts,
            ends_on=ends,
            planned_hours=Decimal(months * 12),
            initiated_by=rng.choice([Side.MENTOR, Side.MENTEE]),
            created_by_id=members.get(mentee.pk) or members.get(mentor.organisation_id),
            submitted_at=submitted_at if state in REFERENCED else None,
            state_entered_at=submitted_at,
        )
        if state in APPROVED:
            agreement.hourly_rate, agreement.hours_cap = RATE, Decimal(months * 12 + 20)
            agreement.approved_at = submitted_at + timedelta(days=10)
        if state in FINISHED_AGREEMENTS:
            agreement.deadline = None
        elif state == AgreementState.ACTIVE:
            agreement.deadline = ends
        elif (found := days.get(("mentoring", state))) is not None:
            agreement.deadline = today + timedelta(days=found - rng.randint(0, 20))
        rows.append((agreement, months))

    # -- declarations, one per agreement and month, and their lines
    declarations, plans, turns = [], [], [0, 0]
    for agreement, months in rows:
        if agreement.state not in APPROVED:
            continue
        for number, month in enumerate(_months(agreement.starts_on, months)):
            state = _declaration_state(agreement.state, number, months, turns)
            submitted = datetime.combine(month + timedelta(days=33), datetime.min.time(), tzinfo=now.tzinfo)
            declaration = HoursDeclaration(
                agreement=agreement,
                administration_id=agreement.administration_id,
                month=month,
                state=state,
                created_by_id=members.get(agreement.mentor_id),
                submitted_at=None if state == DeclarationState.DRAFT else submitted,
                state_entered_at=submitted,
            )
            if state in (DeclarationState.VALIDATED, DeclarationState.REJECTED):
                declaration.deadline = None
            elif (found := days.get(("mentoring", state))) is not None:
                declaration.deadline = today + timedelta(days=found - rng.randint(0, 20))
            declarations.append(declaration)
            plans.append(rng.randint(2, 5))
    # Exactly ten lines per agreement in all (10,000 at full scale): nudge random declarations.
    difference = agreements * 10 - sum(plans)
    while difference and plans:
        index = rng.randrange(len(plans))
        step = 1 if difference > 0 else -1
        if 1 <= plans[index] + step <= 12:
            plans[index] += step
            difference -= step

    # References in submission order across both file types (one MEN sequence, as the submission does).
    dated = [a for a, _m in rows if a.submitted_at] + [d for d in declarations if d.submitted_at]
    dated.sort(key=lambda f: f.submitted_at)
    for number, file in enumerate(dated, start=1):
        file.reference = f"{PREFIX}-{YEAR}-{number:05d}"
    Agreement.objects.bulk_create([a for a, _m in rows], batch_size=BATCH)
    for declaration in declarations:
        declaration.agreement_id = declaration.agreement.pk
    ReferenceSequence.objects.update_or_create(prefix=PREFIX, year=YEAR, defaults={"last_number": len(dated)})

    lines = []
    activities = list(Activity.values)
    for declaration, count in zip(declarations, plans, strict=True):
        total = Decimal("0.00")
        for day in sorted(rng.sample(range(1, 28), count)):
            hours = Decimal(rng.choice([1, 1.5, 2, 2.5, 3])).quantize(Decimal("0.01"))
            total += hours
            lines.append(
                (
                    declaration,
                    DeclarationLine(
                        date=declaration.month.replace(day=day),
                        hours=hours,
                        activity=rng.choice(activities),
                        description="Réunion de suivi avec la coordination.",
                    ),
                )
            )
        declaration.total_hours = total
        if declaration.state == DeclarationState.VALIDATED:
            declaration.amount = (total * RATE).quantize(Decimal("0.01"))
            declaration.validated_at = declaration.submitted_at + timedelta(days=12)
    HoursDeclaration.objects.bulk_create(declarations, batch_size=BATCH)
    for declaration, line in lines:
        line.declaration_id = declaration.pk
    DeclarationLine.objects.bulk_create([line for _d, line in lines], batch_size=BATCH)

    # -- the compensation ordered for each validated declaration
    declaration_type = ContentType.objects.get_for_model(HoursDeclaration)
    names = {o.pk: o.name_fr for o in orgs}
    officers = {pk: code for code, pk in administrations.items()}
    orders = []
    for declaration in declarations:
        if declaration.state != DeclarationState.VALIDATED:
            continue
        code = officers[declaration.administration_id]
        state = rng.choice(["pending", "approved", "paid", "paid", "paid"])
        order = PaymentOrder(
            state=state,
            kind=PaymentOrder.Kind.MENTORING_COMPENSATION,
            amount=declaration.amount,
            administration_id=declaration.administration_id,
            content_type=declaration_type,
            object_id=declaration.pk,
            file_reference=declaration.reference,
            counterparty_name=names[declaration.agreement.mentor_id],
            counterparty_iban=IBAN,
            counterparty_bic=BIC,
            remittance_information=f"{declaration.reference} mentoring {declaration.month:%m/%Y}",
            due_date=(declaration.validated_at + timedelta(days=30)).date(),
            created_by=volume.staff[f"approver.{code}"],
        )
        if state in ("approved", "paid"):
            order.approved_by = volume.staff[f"finance.{code}"]
            order.approved_at = declaration.validated_at + timedelta(days=5)
        if state == "paid":
            order.paid_at = declaration.validated_at + timedelta(days=8)
            order.paid_on = order.paid_at.date()
        orders.append(order)
    PaymentOrder.objects.bulk_create(orders, batch_size=BATCH)

    # The search text, as `WorkflowFile.save` writes it from SEARCH_FIELDS (bulk_create skips save).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE peer_mentoring_agreement a SET search_text = concat_ws(E'\\n', NULLIF(a.reference, ''), "
            "NULLIF(a.project, ''), NULLIF(a.objectives, ''), NULLIF(m.name_fr, ''), NULLIF(m.name_nl, ''), "
            "NULLIF(m.enterprise_number, ''), NULLIF(e.name_fr, ''), NULLIF(e.name_nl, ''), "
            "NULLIF(e.enterprise_number, '')) FROM accounts_organisation m, accounts_organisation e "
            "WHERE m.id = a.mentor_id AND e.id = a.mentee_id"
        )
        cursor.execute(
            "UPDATE peer_mentoring_hoursdeclaration d SET search_text = concat_ws(E'\\n', "
            "NULLIF(d.reference, ''), NULLIF(a.reference, ''), NULLIF(a.project, ''), NULLIF(m.name_fr, ''), "
            "NULLIF(m.name_nl, ''), NULLIF(e.name_fr, ''), NULLIF(e.name_nl, '')) "
            "FROM peer_mentoring_agreement a, accounts_organisation m, accounts_organisation e "
            "WHERE a.id = d.agreement_id AND m.id = a.mentor_id AND e.id = a.mentee_id"
        )
        # auto_now_add stamped every row with now: the date each story implies.
        cursor.execute(
            "UPDATE peer_mentoring_agreement SET created_at = COALESCE(submitted_at, %s::timestamptz "
            "- (id %% 300) * interval '13 hours'), updated_at = COALESCE(submitted_at, %s::timestamptz)",
            [now, now],
        )
        cursor.execute(
            "UPDATE peer_mentoring_hoursdeclaration SET created_at = month::timestamptz + interval '28 days', "
            "updated_at = COALESCE(submitted_at, %s::timestamptz)",
            [now],
        )
    busy = [d for d in declarations if d.agreement_id == rows[0][0].pk]
    validated = [d for d in busy if d.state == DeclarationState.VALIDATED]
    volume.mentoring = {
        "agreement": rows[0][0],
        "declaration": max(busy, key=lambda d: d.month),  # the latest month: still being processed
        "validated": max(validated, key=lambda d: d.month),  # has a compensation statement
    }
    volume.counts.update(
        mentors=len(mentors),
        expertise=len(expertise),
        agreements=len(rows),
        declarations=len(declarations),
        declaration_lines=len(lines),
        compensation_orders=len(orders),
        mentoring_users=len(users),
    )


def measure_checks(volume) -> list[str]:
    """In-process, against the bench database: the queries of a declaration's cap check (and of the
    whole submission check) on the agreement with the most declarations and on one with few, and
    the programme overview's time. Returns the lines to print."""
    import contextlib
    import statistics
    import time

    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from core.exceptions import InvalidInput
    from core.workflow import TransitionRefused
    from peer_mentoring import selectors, services

    def count(function) -> int:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            with contextlib.suppress(InvalidInput, TransitionRefused):  # a refusal counts too
                function()
            transaction.set_rollback(True)
        return len(queries)

    said = []
    busy = volume.mentoring["agreement"]
    small = Agreement.objects.filter(state=AgreementState.ACTIVE).exclude(pk=busy.pk).order_by("pk").first()
    for agreement in (busy, small):
        declaration = HoursDeclaration.objects.filter(agreement=agreement).order_by("-month").first()
        others = HoursDeclaration.objects.filter(agreement=agreement).count()
        cap = count(lambda d=declaration, a=agreement: services._require_within_cap(d, a))
        whole = count(lambda d=declaration: services.submit_declaration(file=d, acting_user=None))
        said.append(
            f"cap check, agreement with {others} declarations: {cap} queries "
            f"(whole submission check: lock, lines, rules, cap: {whole} queries)"
        )
    officer = volume.staff["officer.cocof"]
    year = timezone.localdate().year
    durations, rows = [], []
    for _ in range(20):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            rows = selectors.programme_overview(officer, year)
            durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    said.append(
        f"programme overview {year} (officer.cocof), in SQL: {len(queries)} queries, {len(rows)} rows "
        f"(month × administration), median {statistics.median(durations):.1f} ms, "
        f"p95 {durations[int(len(durations) * 0.95) - 1]:.1f} ms (n=20)"
    )
    return said


DIRECTORY = "types=hr_support&types=cognitive&legal_form=agreement&joint_committee=319&language=fr"


def mentoring_pages(volume, officer_web, officer_api, web, api) -> list[tuple[str, str, dict, bool]]:
    """The mentoring pages `bench.run` measures (label, path, headers, export)."""
    agreement, declaration = volume.mentoring["agreement"], volume.mentoring["declaration"]
    validated = volume.mentoring["validated"]
    mentee_web, mentee_api = web(volume.applicant), api(volume.applicant)  # a member of mentees
    mentor_web = web(volume.staff["mentor"])
    agreement_api = f"/api/v1/mentoring/agreements/{agreement.pk}/"
    declaration_api = f"/api/v1/mentoring/declarations/{declaration.pk}/"
    return [
        ("mentee /mentoring/directory/ (default)", "/mentoring/directory/", mentee_web, False),
        (
            "mentee /mentoring/directory/ ranked+filters",
            f"/mentoring/directory/?{DIRECTORY}&available=on",
            mentee_web,
            False,
        ),
        (
            "API mentoring/mentors/ ranked+filters",
            f"/api/v1/mentoring/mentors/?{DIRECTORY}&available=true",
            mentee_api,
            False,
        ),
        ("officer /mentoring/agreements/", "/mentoring/agreements/", officer_web, False),
        ("API mentoring/agreements/", "/api/v1/mentoring/agreements/", officer_api, False),
        ("officer /mentoring/declarations/", "/mentoring/declarations/", officer_web, False),
        ("API mentoring/declarations/", "/api/v1/mentoring/declarations/", officer_api, False),
        ("agreement page /mentoring/agreements/<id>/", agreement.get_absolute_url(), officer_web, False),
        ("API agreement", agreement_api, officer_api, False),
        ("API agreement transitions/", agreement_api + "transitions/", officer_api, False),
        (
            "declaration page /mentoring/declarations/<id>/",
            declaration.get_absolute_url(),
            officer_web,
            False,
        ),
        ("API declaration", declaration_api, officer_api, False),
        ("API declaration transitions/", declaration_api + "transitions/", officer_api, False),
        ("statement PDF (web)", validated.get_absolute_url() + "statement.pdf", officer_web, False),
        (
            "statement PDF (API)",
            f"/api/v1/mentoring/declarations/{validated.pk}/statement/",
            officer_api,
            False,
        ),
        ("officer /mentoring/overview/", "/mentoring/overview/", officer_web, False),
        ("mentor space /mentoring/", "/mentoring/", mentor_web, False),
        (
            "officer /work-queue/ (mentoring)",
            "/work-queue/?scheme=mentoring_declarations",
            officer_web,
            False,
        ),
    ]
