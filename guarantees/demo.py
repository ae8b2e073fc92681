"""Demo guarantee files (SPEC §8), loaded by `manage.py load_demo_data` after the demo accounts.

The fund with its parameters; loans of the demo lender (Banque Coopérative de Bruxelles) and of a
second lender without accounts; files of both administrations in most states, each walked there
through the real services and transitions by the demo people (the officer screens and rates the
risk, the approver decides, the lender confirms disbursements, declares and calls). Loaded once.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Administration, LegalForm, Organisation, User
from core.instruction import declare_conflict
from core.workflow import perform_transition

from .calculations import add_months
from .fees import bill_due_fees
from .models import Fund, GuaranteeRequest, SchemeParameters
from .services import create_draft, declare, quarter_of, record_risk_review, report_recovery
from .states import State

MARKER = "Rénovation de la cuisine collective (démo)"

BORROWERS = {
    "applicant": ("0412345614", "applicant@demo.example"),
    "other": ("0423456765", "other-applicant@demo.example"),
    "mentor": ("0434567819", "mentor@demo.example"),
}
LENDER_USER = "lender@demo.example"
STAFF = {
    "cocof": ("officer.cocof@demo.example", "approver.cocof@demo.example", "finance.cocof@demo.example"),
    "iriscare": (
        "officer.iriscare@demo.example",
        "approver.iriscare@demo.example",
        "finance.iriscare@demo.example",
    ),
}

PATH = [
    "submit",
    "start_screening",
    "start_review",
    "risk_review",
    "offer",
    "activate",
    "declare",
    "call",
    "pay_claim",
    "recover",
    "close",
]


@dataclass
class DemoGuarantee:
    borrower: str
    administration: str | None
    last_step: str | None  # None: a draft
    purpose: str
    amount: str
    months: int
    profile: str = "annuity"
    rate: str = "4.00"
    coverage: str = "70"
    rating: str = "B"
    other_lender: bool = False
    arrears_days: int = 0
    then: str = (
        ""  # a side exit after the last step: request_information, reject, lapse, release, withdraw...
    )
    comments: dict[str, str] = field(default_factory=dict)


FILES = [
    DemoGuarantee("applicant", None, None, MARKER, "45000.00", 60),
    DemoGuarantee(
        "applicant",
        "cocof",
        "submit",
        "Achat d'un véhicule adapté pour les visites à domicile",
        "38000.00",
        48,
        profile="linear",
    ),
    DemoGuarantee("other", "iriscare", "start_screening", "Verbouwing van het buurthuis", "120000.00", 96),
    DemoGuarantee(
        "applicant",
        "iriscare",
        "start_screening",
        "Préfinancement des subsides de fonctionnement",
        "60000.00",
        24,
        profile="credit_line",
        coverage="50",
        then="request_information",
        comments={"request_information": "Merci de joindre les comptes annuels 2025."},
    ),
    DemoGuarantee(
        "mentor",
        "cocof",
        "risk_review",
        "Logiciel comptable partagé pour le collectif",
        "25000.00",
        36,
        rating="A",
    ),
    DemoGuarantee(
        "other", "iriscare", "offer", "Zonnepanelen voor het dagcentrum", "80000.00", 120, rating="C"
    ),
    DemoGuarantee(
        "applicant", "cocof", "declare", "Aménagement du centre de jour partagé", "150000.00", 84, rating="B"
    ),
    DemoGuarantee(
        "other",
        "iriscare",
        "declare",
        "Aankoop van een gedeeld administratief pand",
        "200000.00",
        120,
        profile="linear",
        rating="C",
        arrears_days=65,
    ),
    DemoGuarantee(
        "mentor",
        "cocof",
        "declare",
        "Ligne de crédit de trésorerie",
        "40000.00",
        24,
        profile="credit_line",
        coverage="50",
        other_lender=True,
    ),
    DemoGuarantee(
        "applicant",
        "iriscare",
        "call",
        "Équipement de la buanderie sociale",
        "30000.00",
        48,
        rating="D",
        arrears_days=120,
    ),
    DemoGuarantee(
        "other",
        "iriscare",
        "recover",
        "Inrichting van de gedeelde keuken",
        "35000.00",
        60,
        rating="D",
        arrears_days=150,
    ),
    DemoGuarantee(
        "mentor",
        "cocof",
        "close",
        "Matériel informatique mutualisé",
        "20000.00",
        36,
        profile="bullet",
        rating="E",
        arrears_days=200,
    ),
    DemoGuarantee(
        "mentor", "cocof", "activate", "Rénovation énergétique du siège", "50000.00", 60, then="release"
    ),
    DemoGuarantee(
        "other",
        "iriscare",
        "risk_review",
        "Lening voor een bestelwagen",
        "15000.00",
        60,
        rating="E",
        then="reject",
        comments={"reject": "De terugbetalingscapaciteit is onvoldoende aangetoond."},
    ),
    DemoGuarantee(
        "applicant", "cocof", "offer", "Mobilier pour la halte-garderie", "12000.00", 36, then="lapse"
    ),
    DemoGuarantee(
        "applicant",
        "cocof",
        "submit",
        "Fonds de roulement pour un nouveau service",
        "18000.00",
        24,
        then="withdraw",
    ),
]

DEFAULT_PARAMETERS = dict(
    endowment=Decimal("5000000.00"),
    leverage_multiplier=Decimal("4.00"),
    alert_threshold=Decimal("80.00"),
    organisation_cap=Decimal("500000.00"),
    lender_loss_cap=Decimal("15.00"),
    max_coverage_amortising=Decimal("75.00"),
    max_coverage_credit_line=Decimal("50.00"),
    minimum_loan=Decimal("10000.00"),
    max_duration_amortising=120,
    max_duration_credit_line=36,
    offer_validity_months=6,
    fee_rate=Decimal("1.00"),
    fee_frequency="quarterly",
    call_after_arrears_days=90,
    interest_covered_days=90,
    de_minimis_ceiling=Decimal("300000.00"),
    de_minimis_years=3,
    market_premiums={"A": 0.4, "B": 0.8, "C": 2.0, "D": 3.8, "E": 6.3},
)


def _fund() -> Fund:
    """The fund and a parameter version in force (the migration seeds them; a flushed test database does not have them)."""
    fund = Fund.objects.order_by("pk").first() or Fund.objects.create(
        name="Fonds bruxellois de garantie / Brussels waarborgfonds"
    )
    if not SchemeParameters.objects.filter(fund=fund, effective_from__lte=timezone.localdate()).exists():
        SchemeParameters.objects.create(fund=fund, effective_from=date(2024, 1, 1), **DEFAULT_PARAMETERS)
    return fund


def _other_lender() -> Organisation:
    lender, _created = Organisation.objects.get_or_create(
        enterprise_number="0456789081",
        defaults=dict(
            name_fr="Crédit Solidaire Bruxelles",
            name_nl="Solidair Krediet Brussel",
            legal_form=LegalForm.COMPANY,
            street="Rue Royale 10",
            postal_code="1000",
            city="Bruxelles",
            iban="BE71096123456769",
            bic="CREGBEBB",
            email="credit@credit-solidaire.example",
            preferred_language="fr",
            is_financial_institution=True,
            headcount_fte=Decimal("40.00"),
            annual_budget=Decimal("5000000.00"),
        ),
    )
    return lender


def _act(request, name, user, **data):
    return perform_transition(file=request, name=name, acting_user=user, data=data)


def _create(demo: DemoGuarantee, lenders: dict) -> GuaranteeRequest:
    number, email = BORROWERS[demo.borrower]
    borrower_user = User.objects.get(email=email)
    lender = lenders["other"] if demo.other_lender else lenders["demo"]
    request = create_draft(
        acting_user=borrower_user,
        borrower=Organisation.objects.get(enterprise_number=number),
        data={
            "lender": lender,
            "purpose": demo.purpose,
            "loan_amount": Decimal(demo.amount),
            "duration_months": demo.months,
            "interest_rate": Decimal(demo.rate),
            "repayment_profile": demo.profile,
            "requested_coverage": Decimal(demo.coverage),
            "collateral": "Mandat hypothécaire" if Decimal(demo.amount) > 100000 else "",
        },
    )
    if demo.last_step is None:
        return request
    officer, approver, finance = (User.objects.get(email=e) for e in STAFF[demo.administration])
    lender_user = User.objects.get(email=LENDER_USER)
    lender_actor = (
        lender_user if not demo.other_lender else officer
    )  # the other lender has no accounts: the officer acts for it
    disbursed_on = add_months(timezone.localdate(), -8)
    for step in PATH[: PATH.index(demo.last_step) + 1]:
        if step == "submit":
            administration = Administration.objects.get(code=demo.administration)
            request = _act(request, "submit", borrower_user, administration=administration.code)
        elif step in ("start_screening", "start_review"):
            request = _act(request, step, officer)
        elif step == "risk_review":
            declare_conflict(file=request, acting_user=officer, has_conflict=False)
            request = record_risk_review(
                acting_user=officer,
                request=request,
                rating=demo.rating,
                recommendation="offer" if demo.rating in "ABC" else "reject",
                justification="Comptes équilibrés sur trois ans, subsides récurrents."
                if demo.rating in "ABC"
                else "Fonds propres négatifs, dépendance à un seul subside.",
            )
        elif step == "offer":
            request = _act(request, "offer", approver, coverage=demo.coverage)
            # Demo loans were disbursed months ago: date their offer before that.
            GuaranteeRequest.objects.filter(pk=request.pk).update(
                offered_at=timezone.now() - timedelta(days=300)
            )
            request.refresh_from_db()
        elif step == "activate":
            request = _act(
                request,
                "activate",
                lender_actor,
                disbursed_on=disbursed_on.isoformat(),
                disbursed_amount=demo.amount,
            )
        elif step == "declare" and not demo.other_lender:
            declared = (request.loan_amount * Decimal("0.93")).quantize(Decimal("0.01"))
            for as_of in (add_months(quarter_of(timezone.localdate()), -1), timezone.localdate()):
                declare(
                    acting_user=lender_user,
                    request=request,
                    as_of=as_of,
                    outstanding_principal=declared,
                    arrears_amount=Decimal("1500.00") if demo.arrears_days else Decimal("0"),
                    arrears_days=demo.arrears_days,
                )
        elif step == "call":
            request = _act(
                request,
                "call",
                lender_user,
                default_date=(timezone.localdate() - timedelta(days=5)).isoformat(),
                outstanding_principal=str((request.loan_amount * Decimal("0.9")).quantize(Decimal("0.01"))),
                arrears_amount="2400.00",
                arrears_days=demo.arrears_days,
            )
        elif step == "pay_claim":
            request = _act(request, "pay_claim", approver)
        elif step == "recover":
            final = demo.last_step == "close"
            recovery = report_recovery(
                acting_user=lender_user,
                request=request,
                received_on=timezone.localdate(),
                amount=Decimal("4000.00"),
                final=final,
            )
            if final:
                order = _act(recovery.payment_order, "approve", finance)
                _act(order, "mark_paid", finance)
        elif step == "close":
            request = _act(request, "close", approver)
    if demo.then == "lapse":
        GuaranteeRequest.objects.filter(pk=request.pk).update(
            offer_expires_on=timezone.localdate() - timedelta(days=1)
        )
        request.refresh_from_db()
        request = _act(request, "lapse", officer)
    elif demo.then == "withdraw":
        request = _act(request, "withdraw", borrower_user, comment="Le projet est reporté.")
    elif demo.then:
        actor = lender_user if demo.then == "release" else approver if demo.then == "reject" else officer
        request = _act(request, demo.then, actor, comment=demo.comments.get(demo.then, ""))
    return request


def demo_data_loaded() -> bool:
    return GuaranteeRequest.objects.filter(purpose=MARKER).exists()


@transaction.atomic
def load_guarantee_demo_data() -> int:
    """Create the demo guarantee files; returns how many were created (0 if loaded before)."""
    if demo_data_loaded():
        return 0
    _fund()
    lenders = {"demo": Organisation.objects.get(enterprise_number="0445678970"), "other": _other_lender()}
    created = [_create(demo, lenders) for demo in FILES]
    bill_due_fees()
    return len(created)


DEMO_STATES = {
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.INFORMATION_REQUESTED,
    State.UNDER_REVIEW,
    State.OFFERED,
    State.ACTIVE,
    State.CALLED,
    State.CLAIM_PAID,
    State.CLOSED,
    State.RELEASED,
    State.REJECTED,
    State.LAPSED,
    State.WITHDRAWN,
}
