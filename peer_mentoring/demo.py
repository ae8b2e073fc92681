"""Demo mentoring data (SPEC §8), loaded by `manage.py load_demo_data` after the accounts and the
grants (whose closed grant made Collectif Compta Partagée a mentor).

A second mentor approved on evidence by Iriscare (Buurtzorg Schaarbeek, whose member is
`other-applicant@demo.example`: it shares no file with Maison des Solidarités), agreements in several states and, on the active one, declarations in
every state — each walked there through the real services and transitions by the demo people.
Loaded once: nothing happens when an agreement already exists.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import (
    Organisation,
    User,
)
from core.workflow import perform_transition

from . import services
from .choices import Activity
from .models import Agreement, Mentor
from .states import MentorState


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _months_ago(count: int) -> date:
    month = timezone.localdate().replace(day=1)
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _act(file, name: str, email: str, **data):
    return perform_transition(file=file, name=name, acting_user=_user(email), data=data)


def _second_mentor(organisation: Organisation) -> Organisation:
    """Buurtzorg Schaarbeek has no closed grant: it applies with evidence, Iriscare approves."""
    user = _user("other-applicant@demo.example")
    application = services.apply_for_mentor_status(
        organisation=organisation,
        acting_user=user,
        evidence=(
            "Sinds 2020 delen wij met vier thuiszorgdiensten een loonadministratie, een preventieadviseur "
            "en een aankoopcentrale (overeenkomst tussen partners, jaarverslagen als bewijs)."
        ),
    )
    services.decide_mentor_application(
        application=application, acting_user=_user("officer.iriscare@demo.example"), approve=True
    )
    services.update_profile(
        mentor=Mentor.objects.get(organisation=organisation),
        acting_user=user,
        data={
            "types": ["hr_support", "material"],
            "legal_forms": ["agreement", "central_purchasing_body"],
            "languages": ["nl", "fr"],
            "availability_hours": 12,
            "presentation": (
                "Wij delen loonadministratie, preventie en aankopen met vier partners. "
                "Nous partageons paie, prévention et achats avec quatre partenaires."
            ),
            "joint_committees": list(organisation.joint_committees.all()),
        },
    )
    return organisation


def _agreement(
    mentor, mentee, proposer: str, *, project: str, objectives: str, starts_on: date, months: int = 10
):
    return services.create_agreement(
        acting_user=_user(proposer),
        mentor=mentor,
        mentee=mentee,
        project=project,
        objectives=objectives,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=30 * months),
        planned_hours=Decimal("40"),
    )


def _declaration(agreement, months_ago: int, hours: list[str]):
    month = _months_ago(months_ago)
    activities = list(Activity.values)
    lines = [
        {
            "date": month + timedelta(days=3 + 7 * i),
            "hours": Decimal(h),
            "activity": activities[i % len(activities)],
            "description": ["Réunion de lancement", "Atelier paie", "Relecture des statuts", "Visite"][i % 4],
        }
        for i, h in enumerate(hours)
    ]
    return services.create_declaration(
        acting_user=_user("mentor@demo.example"), agreement=agreement, month=month, lines=lines
    )


@transaction.atomic
def load_mentoring_demo_data() -> int:
    if Agreement.objects.exists():
        return 0
    mentor = Mentor.objects.filter(
        organisation__enterprise_number="0434567819", state=MentorState.ACTIVE
    ).first()
    if mentor is None:  # the grants' demo closes its grant; without it there is no demo mentor
        return 0
    services.update_profile(
        mentor=mentor,
        acting_user=_user("mentor@demo.example"),
        data={
            "types": sorted({*mentor.types, "financial", "cognitive"}),
            "legal_forms": sorted({*mentor.legal_forms, "agreement"}),
            "languages": ["fr", "nl"],
            "availability_hours": 15,
            "presentation": (
                "Nous avons mutualisé la comptabilité et le logiciel de gestion de six ASBL. "
                "Wij bundelden de boekhouding van zes vzw's."
            ),
        },
    )
    applicant = Organisation.objects.get(enterprise_number="0412345614")  # Maison des Solidarités
    other = _second_mentor(Organisation.objects.get(enterprise_number="0423456765"))  # Buurtzorg Schaarbeek
    first = mentor.organisation

    # The active agreement: proposed by the mentor, confirmed by the mentee, approved by Cocof.
    active = _agreement(
        first,
        applicant,
        "mentor@demo.example",
        project="Comptabilité partagée entre trois ASBL",
        objectives="Choisir un logiciel commun, répartir les coûts, rédiger la convention de mutualisation.",
        starts_on=_months_ago(7),
        months=12,
    )
    active = _act(active, "propose", "mentor@demo.example", administration="cocof")
    active = _act(active, "confirm", "applicant@demo.example")
    active = _act(active, "approve", "approver.cocof@demo.example", hourly_rate="60", hours_cap="60")
    walks = {
        "validated": (
            6,
            ["3", "2.5", "2"],
            [("submit", "mentor"), ("confirm", "mentee"), ("validate", "approver")],
        ),
        "rejected": (
            5,
            ["2"],
            [
                ("submit", "mentor"),
                ("confirm", "mentee"),
                ("reject", "approver", "Ces heures relèvent d'une autre convention."),
            ],
        ),
        "confirmed": (4, ["4", "1.75"], [("submit", "mentor"), ("confirm", "mentee")]),
        "contested": (
            3,
            ["6"],
            [("submit", "mentor"), ("contest", "mentee", "La visite a duré trois heures, pas six.")],
        ),
        "submitted": (2, ["2.25", "1"], [("submit", "mentor")]),
        "draft": (1, ["1.5"], []),
    }
    people = {
        "mentor": "mentor@demo.example",
        "mentee": "applicant@demo.example",
        "approver": "approver.cocof@demo.example",
    }
    for months_ago, hours, steps in walks.values():
        declaration = _declaration(active, months_ago, hours)
        for step in steps:
            name, who, *comment = step
            declaration = _act(declaration, name, people[who], **({"comment": comment[0]} if comment else {}))

    # Proposed by the mentor, for Maison des Solidarités to confirm; and a draft between them.
    proposed = _agreement(
        first,
        applicant,
        "mentor@demo.example",
        project="Préposé à la prévention partagé",
        objectives="Partager un conseiller en prévention entre quatre services.",
        starts_on=timezone.localdate().replace(day=1),
    )
    _act(proposed, "propose", "mentor@demo.example", administration="cocof")
    _agreement(
        first,
        applicant,
        "applicant@demo.example",
        project="Logiciel de gestion des bénévoles",
        objectives="Choisir un logiciel commun.",
        starts_on=timezone.localdate().replace(day=1),
    )

    # Buurtzorg Schaarbeek as mentee: awaiting Iriscare's approver; and one Iriscare rejected.
    submitted = _agreement(
        first,
        other,
        "other-applicant@demo.example",
        project="Gedeelde boekhouding voor thuiszorg",
        objectives="Een gedeelde boekhouder en boekhoudsoftware met drie thuiszorgdiensten.",
        starts_on=timezone.localdate().replace(day=1),
    )
    submitted = _act(submitted, "propose", "other-applicant@demo.example")
    _act(submitted, "confirm", "mentor@demo.example")
    rejected = _agreement(
        first,
        other,
        "mentor@demo.example",
        project="Boekhouding delen",
        objectives="Een gedeelde boekhouder.",
        starts_on=timezone.localdate().replace(day=1),
    )
    rejected = _act(rejected, "propose", "mentor@demo.example")
    rejected = _act(rejected, "confirm", "other-applicant@demo.example")
    _act(
        rejected,
        "reject",
        "approver.iriscare@demo.example",
        comment="Dit project krijgt al begeleiding van het resourcecentrum.",
    )

    # Buurtzorg Schaarbeek as mentor of Collectif Compta Partagée: completed, with the evaluation.
    completed = _agreement(
        other,
        first,
        "mentor@demo.example",
        project="Groupement d'employeurs – diagnostic",
        objectives="Évaluer l'intérêt d'un groupement d'employeurs.",
        starts_on=_months_ago(11),
        months=6,
    )
    completed = _act(completed, "propose", "mentor@demo.example")
    completed = _act(completed, "confirm", "other-applicant@demo.example")
    completed = _act(completed, "approve", "approver.cocof@demo.example")
    _act(
        completed,
        "complete",
        "mentor@demo.example",
        usefulness="4",
        pooled="Un diagnostic partagé et un projet de statuts pour le groupement.",
        would_recommend="on",
    )
    return Agreement.objects.count()
