"""Mentoring factories: a mentor organisation, an agreement walked through the real transitions to
any state, and declarations with lines walked likewise."""

from datetime import date, timedelta
from decimal import Decimal

from core.workflow import perform_transition
from peer_mentoring import services
from peer_mentoring.choices import Activity, MentorSource
from peer_mentoring.models import Agreement, HoursDeclaration
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import RecognitionFactory, applicant, staff


def mentor_organisation(**fields):
    organisation = RecognitionFactory(**fields).organisation
    services.grant_mentor_status(organisation=organisation, source=MentorSource.APPLICATION)
    organisation.refresh_from_db()
    return organisation


def last_month() -> date:
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


class Cast:
    """The people acting on one agreement (its mentee is routed to Cocof)."""

    def __init__(self, mentor=None, mentee=None, administration_code: str = "cocof"):
        self.mentor_organisation = mentor or mentor_organisation()
        self.mentee_organisation = (
            mentee or RecognitionFactory(iriscare=administration_code == "iriscare").organisation
        )
        self.mentor = applicant(self.mentor_organisation)
        self.mentee = applicant(self.mentee_organisation)
        self.officer = staff("officer", administration_code)
        self.approver = staff("approver", administration_code)


def act(file, name: str, user, **data):
    return perform_transition(file=file, name=name, acting_user=user, data=data)


def draft_agreement(cast: Cast | None = None, **fields) -> tuple[Agreement, Cast]:
    cast = cast or Cast()
    values = {
        "project": "Shared payroll office",
        "objectives": "Set up a shared payroll office with two partners.",
        "starts_on": date.today() - timedelta(days=90),
        "ends_on": date.today() + timedelta(days=270),
        "planned_hours": Decimal("40"),
    } | fields
    agreement = services.create_agreement(
        acting_user=cast.mentor, mentor=cast.mentor_organisation, mentee=cast.mentee_organisation, **values
    )
    return agreement, cast


AGREEMENT_PATH = [
    AgreementState.PROPOSED,
    AgreementState.SUBMITTED,
    AgreementState.ACTIVE,
    AgreementState.COMPLETED,
]


def agreement_in(
    state: str, cast: Cast | None = None, *, rate="60.00", cap="60", **fields
) -> tuple[Agreement, Cast]:
    """A new agreement (proposed by the mentor) walked to `state` through the real transitions."""
    agreement, cast = draft_agreement(cast, **fields)
    steps = {
        AgreementState.PROPOSED: ("propose", cast.mentor, {}),
        AgreementState.SUBMITTED: ("confirm", cast.mentee, {}),
        AgreementState.ACTIVE: ("approve", cast.approver, {"hourly_rate": rate, "hours_cap": cap}),
        AgreementState.COMPLETED: (
            "complete",
            cast.mentee,
            {"usefulness": "4", "pooled": "A payroll office", "would_recommend": "on"},
        ),
    }
    if state == AgreementState.DRAFT:
        return agreement, cast
    for step in AGREEMENT_PATH[: AGREEMENT_PATH.index(state) + 1]:
        name, user, data = steps[step]
        agreement = act(agreement, name, user, **data)
    return agreement, cast


def line(day: date, hours="2", activity=Activity.MEETING, description="Monthly meeting") -> dict:
    return {"date": day, "hours": Decimal(hours), "activity": activity, "description": description}


def declaration_in(
    state: str, agreement: Agreement, cast: Cast, *, month: date | None = None, hours=("2", "3")
) -> HoursDeclaration:
    """A declaration of `month` (last month by default) with one line per hours value, walked to `state`."""
    month = month or last_month()
    lines = [
        line(month + timedelta(days=i), h, Activity.values[i % len(Activity.values)])
        for i, h in enumerate(hours)
    ]
    declaration = services.create_declaration(
        acting_user=cast.mentor, agreement=agreement, month=month, lines=lines
    )
    path = {
        DeclarationState.DRAFT: [],
        DeclarationState.SUBMITTED: [("submit", cast.mentor, {})],
        DeclarationState.CONFIRMED: [("submit", cast.mentor, {}), ("confirm", cast.mentee, {})],
        DeclarationState.CONTESTED: [
            ("submit", cast.mentor, {}),
            ("contest", cast.mentee, {"comment": "Too many hours"}),
        ],
        DeclarationState.VALIDATED: [
            ("submit", cast.mentor, {}),
            ("confirm", cast.mentee, {}),
            ("validate", cast.approver, {}),
        ],
        DeclarationState.REJECTED: [
            ("submit", cast.mentor, {}),
            ("confirm", cast.mentee, {}),
            ("reject", cast.approver, {"comment": "Not mentoring"}),
        ],
    }[state]
    for name, user, data in path:
        declaration = act(declaration, name, user, **data)
    return declaration
