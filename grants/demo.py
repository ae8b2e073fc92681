"""Demo grant files (SPEC §8), loaded by `manage.py load_demo_data` after the demo accounts.

Two calls, and files of both administrations in most states, each walked there through the real
services and transitions by the demo people (officer.cocof screens, approver.cocof decides, and so
on; the four-eyes rule holds because the approver never screened nor wrote the only review). Loaded
once: nothing happens when the demo call already exists.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Administration, LegalForm, Organisation, User
from core.instruction import declare_conflict
from core.models import PaymentOrder
from core.workflow import perform_transition

from .choices import Axis, BudgetCategory, InitiativeLegalForm, Logic, MutualisationType, Recommendation
from .drafting import create_draft, replace_budget_lines
from .models import Call, Envelope, GrantApplication
from .services import file_report, record_review
from .workflow import State

OPEN_CALL_TITLE_FR = "Appel à projets mutualisation 2026"

# The demo organisations of `load_demo_data` (by enterprise number) and their applicants.
LEADS = {
    "applicant": ("0412345614", "applicant@demo.example"),
    "other": ("0423456765", "other-applicant@demo.example"),
    "mentor": ("0434567819", "mentor@demo.example"),
}

# Partner organisations named on the demo files; they have no accounts. Maison des Solidarités and
# Buurtzorg Schaarbeek share no partner, so that their members never read each other's files.
PARTNERS = {
    "tilleuls": ("0478123490", "Centre d'Accueil Les Tilleuls", "", "1060", "Saint-Gilles", "fr"),
    "midi": ("0478234546", "Maison Médicale du Midi", "", "1070", "Anderlecht", "fr"),
    "marolles": ("0478345602", "Atelier Jeunesse Marolles", "", "1000", "Bruxelles", "fr"),
    "aide_est": ("0478456755", "Aide à Domicile Bruxelles-Est", "", "1040", "Etterbeek", "fr"),
    "brug": ("0478567811", "", "Wijkgezondheidscentrum De Brug", "1030", "Schaarbeek", "nl"),
    "ten_noode": ("0478678964", "", "Dienstencentrum Ten Noode", "1210", "Sint-Joost-ten-Node", "nl"),
    "evere": ("0478789030", "", "Thuiszorg Evere", "1140", "Evere", "nl"),
    "theatre": ("0478890186", "Théâtre de Quartier d'Ixelles", "", "1050", "Ixelles", "fr"),
    "jeunes": ("0478901272", "Maison de Jeunes de Boondael", "", "1050", "Ixelles", "fr"),
}

# The paths through the workflow (step names are listed in `_Walk.step`).
TO_SCREENING = ["submit", "start_screening"]
TO_REVIEW = [*TO_SCREENING, "admit", "review"]
TO_APPROVED = [*TO_REVIEW, "approve"]
TO_IN_PROGRESS = [*TO_APPROVED, "accept"]


@dataclass
class DemoFile:
    lead: str
    administration: str | None
    steps: list[str]
    title: str
    description: str
    axes: list[str]
    types: list[str]
    logics: list[str]
    legal_form: str
    partners: list[str]
    budget: list[dict]
    requested: str
    effects: str
    start: date = date(2027, 1, 1)
    end: date = date(2027, 12, 31)
    awarded: str = ""
    expenses: list[str] = field(default_factory=list)  # justified per budget line in the final report
    review: dict = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    other_funding: str = ""


def hours(description: str, number: int, cost: int) -> dict:
    return {
        "category": BudgetCategory.COORDINATION_HOURS,
        "description": description,
        "hours": Decimal(number),
        "hourly_cost": Decimal(cost),
    }


def line(category: str, description: str, amount: int) -> dict:
    return {"category": category, "description": description, "amount": Decimal(amount)}


def scores(recommendation: str, marks: tuple[int, int, int, int, int], **comments) -> dict:
    relevance, feasibility, partnership, budget, public_effect = marks
    return {
        "relevance": relevance,
        "feasibility": feasibility,
        "partnership": partnership,
        "budget": budget,
        "public_effect": public_effect,
        "recommendation": recommendation,
        **{f"{name}_comment": text for name, text in comments.items()},
    }


S = BudgetCategory
FILES = [
    # -- Maison des Solidarités, Cocof ---------------------------------------------------------------
    DemoFile(
        lead="applicant",
        administration="cocof",
        steps=TO_IN_PROGRESS + ["approve_advance", "interim_report"],
        title="Support informatique partagé entre quatre ASBL",
        description=(
            "Un informaticien engagé par la Maison des Solidarités et mis à disposition des partenaires "
            "deux jours par semaine : parc informatique commun, sauvegardes, sécurité et assistance."
        ),
        axes=[Axis.SUPPORT_FUNCTIONS],
        types=[MutualisationType.HR_SUPPORT, MutualisationType.MATERIAL],
        logics=[Logic.MANAGERIAL, Logic.PROFESSIONALISATION],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["tilleuls", "midi", "marolles"],
        budget=[
            hours("Coordination entre les quatre directions", 200, 50),
            line(S.STAFF, "Informaticien à mi-temps pendant un an", 52000),
            line(S.EQUIPMENT, "Serveur de sauvegarde et licences communes", 14000),
        ],
        requested="72000.00",
        awarded="72000.00",
        effects="Moins de pannes et de temps perdu : les équipes se consacrent aux personnes accueillies.",
        start=date(2026, 3, 1),
        end=date(2027, 2, 28),
        review=scores(
            Recommendation.AWARD,
            (5, 4, 4, 4, 4),
            relevance="Fonction support partagée typique de la mesure.",
            budget="Budget réaliste, coût horaire conforme.",
        ),
    ),
    DemoFile(
        lead="applicant",
        administration="cocof",
        steps=TO_APPROVED,
        title="Conseiller en prévention partagé",
        description=(
            "Un conseiller en prévention commun aux partenaires, pour les analyses de risques, le bien-être "
            "au travail et les plans d'évacuation des quatre bâtiments."
        ),
        axes=[Axis.SUPPORT_FUNCTIONS],
        types=[MutualisationType.HR_SUPPORT],
        logics=[Logic.MANAGERIAL, Logic.PROFESSIONALISATION],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["tilleuls", "aide_est"],
        budget=[
            hours("Coordination et comité de suivi", 120, 50),
            line(S.STAFF, "Conseiller en prévention à quart-temps", 38000),
            line(S.TRAINING, "Formation des personnes de confiance", 8000),
        ],
        requested="52000.00",
        awarded="48000.00",
        effects="Des lieux d'accueil plus sûrs et un meilleur suivi des risques psychosociaux.",
        review=scores(
            Recommendation.AWARD_REDUCED,
            (4, 4, 3, 3, 3),
            budget="La formation peut être prise en charge par le fonds sectoriel : réduire de 4 000 €.",
        ),
        comments={"approve": "Octroi réduit : la formation relève du fonds sectoriel."},
    ),
    DemoFile(
        lead="applicant",
        administration="cocof",
        steps=["submit", "start_screening", "request_information", "resubmit"],
        title="Secrétariat social et paie mutualisés",
        description=(
            "Les trois ASBL confient ensemble leur paie et leur secrétariat social à une gestionnaire "
            "partagée, avec un outil commun de suivi des prestations."
        ),
        axes=[Axis.SUPPORT_FUNCTIONS],
        types=[MutualisationType.HR_SUPPORT, MutualisationType.COGNITIVE],
        logics=[Logic.MANAGERIAL],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["midi", "aide_est"],
        budget=[
            hours("Mise en place et coordination", 160, 50),
            line(S.STAFF, "Gestionnaire de paie à mi-temps", 36000),
            line(S.SERVICES, "Paramétrage de l'outil de suivi des prestations", 6000),
        ],
        requested="45000.00",
        effects="Des fiches de paie justes et à temps, et des directions libérées de l'administratif.",
        comments={
            "request_information": "Merci de préciser la clé de répartition des coûts entre les trois ASBL.",
            "resubmit": "La clé suit le nombre d'ETP de chaque ASBL ; la description est complétée.",
        },
    ),
    DemoFile(
        lead="applicant",
        administration="cocof",
        steps=["submit", "start_screening", "request_information"],
        title="Cellule de communication commune",
        description=(
            "Une chargée de communication partagée : site web commun, lettre d'information et campagnes "
            "pour faire connaître les services des partenaires dans le quartier."
        ),
        axes=[Axis.NETWORKS],
        types=[MutualisationType.HR_SUPPORT, MutualisationType.COGNITIVE],
        logics=[Logic.SERVICE, Logic.AUTONOMY],
        legal_form=InitiativeLegalForm.INFORMAL,
        partners=["marolles"],
        budget=[
            hours("Comité éditorial mensuel", 80, 45),
            line(S.STAFF, "Chargée de communication à mi-temps", 30000),
            line(S.SERVICES, "Site web commun", 7000),
        ],
        requested="38000.00",
        effects="Les familles du quartier trouvent plus facilement le bon service.",
        comments={
            "request_information": (
                "Une initiative informelle ne peut pas engager de personnel : qui sera l'employeur de la "
                "chargée de communication ? Joignez l'accord entre les partenaires."
            )
        },
    ),
    DemoFile(
        lead="applicant",
        administration="cocof",
        steps=["submit"],
        title="Achats groupés d'énergie pour cinq maisons d'accueil",
        description=(
            "Une centrale d'achat commune pour le gaz et l'électricité des cinq bâtiments, précédée d'un "
            "audit énergétique, afin de stabiliser les factures et de réduire la consommation."
        ),
        axes=[Axis.PURCHASING_POOLS],
        types=[MutualisationType.FINANCIAL, MutualisationType.MATERIAL],
        logics=[Logic.MANAGERIAL, Logic.AUTONOMY],
        legal_form=InitiativeLegalForm.CENTRAL_PURCHASING_BODY,
        partners=["tilleuls", "midi", "aide_est", "marolles"],
        budget=[
            hours("Coordination de la centrale d'achat", 300, 55),
            line(S.SERVICES, "Audit énergétique des cinq bâtiments", 12000),
            line(S.OTHER, "Accompagnement juridique du marché groupé", 18000),
        ],
        requested="42000.00",
        effects="Des économies d'énergie réinvesties dans l'accueil des personnes.",
        other_funding="Prime énergie régionale pour l'audit (3 000 €).",
    ),
    DemoFile(
        lead="applicant",
        administration="cocof",
        steps=[*TO_REVIEW, "reject"],
        title="Camionnette partagée pour la distribution de colis alimentaires",
        description="L'achat d'une camionnette utilisée à tour de rôle par deux ASBL pour leurs colis.",
        axes=[Axis.PURCHASING_POOLS],
        types=[MutualisationType.MATERIAL],
        logics=[Logic.MANAGERIAL],
        legal_form=InitiativeLegalForm.INFORMAL,
        partners=["marolles"],
        budget=[line(S.EQUIPMENT, "Camionnette utilitaire électrique", 55000)],
        requested="55000.00",
        effects="Des colis livrés plus vite aux familles.",
        review=scores(
            Recommendation.REJECT,
            (2, 3, 2, 2, 3),
            relevance="Un achat d'équipement sans fonction ni organisation partagée.",
        ),
        comments={
            "reject": (
                "Le projet se limite à l'achat d'un véhicule : il ne met en commun aucune fonction ni "
                "compétence. Il peut être présenté à l'appel « équipement » de la Cocof."
            )
        },
    ),
    DemoFile(
        lead="applicant",
        administration=None,
        steps=[],
        title="Cuisine collective partagée",
        description="Une cuisine équipée utilisée par trois ASBL pour les repas de leurs publics.",
        axes=[Axis.SHARED_PREMISES],
        types=[MutualisationType.MATERIAL],
        logics=[Logic.MANAGERIAL, Logic.SOLIDARITY],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["tilleuls", "marolles"],
        budget=[line(S.PREMISES, "Aménagement de la cuisine", 40000)],
        requested="35000.00",
        effects="Des repas chauds pour les personnes accueillies, préparés ensemble.",
    ),
    # -- Maison des Solidarités, Iriscare (recognised by COCOM too: routed by the applicant's choice) --
    DemoFile(
        lead="applicant",
        administration="iriscare",
        steps=TO_REVIEW,
        title="Locaux partagés pour les professionnels de première ligne",
        description=(
            "Un étage rénové rue Haute accueille les permanences d'une infirmière, d'une assistante sociale "
            "et d'un médiateur de dette de trois organisations, avec un accueil commun."
        ),
        axes=[Axis.SHARED_PREMISES],
        types=[MutualisationType.MATERIAL, MutualisationType.HR_SUPPORT],
        logics=[Logic.SERVICE, Logic.SOLIDARITY],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["midi", "aide_est"],
        budget=[
            hours("Coordination de l'accueil commun", 240, 48),
            line(S.PREMISES, "Aménagement des bureaux de consultation", 60000),
            line(S.STAFF, "Accueillante à mi-temps", 27000),
        ],
        requested="95000.00",
        effects="Un seul lieu pour les habitants, qui n'ont plus à courir d'un service à l'autre.",
        review=scores(
            Recommendation.AWARD,
            (5, 4, 5, 3, 5),
            relevance="Duidelijk gedeelde ruimte voor eerstelijnswerkers.",
            budget="De inrichtingskosten zijn hoog maar verantwoord.",
        ),
    ),
    DemoFile(
        lead="applicant",
        administration="iriscare",
        steps=[*TO_IN_PROGRESS, "pay_advance", "final_report"],
        title="Groupement d'employeurs pour aides-soignantes de nuit",
        description=(
            "Trois maisons de repos engagent ensemble des aides-soignantes de nuit via un groupement "
            "d'employeurs, pour couvrir les absences sans recourir à l'intérim."
        ),
        axes=[Axis.EMPLOYER_GROUPINGS],
        types=[MutualisationType.HR_CORE],
        logics=[Logic.SERVICE, Logic.PROFESSIONALISATION],
        legal_form=InitiativeLegalForm.EMPLOYER_GROUPING,
        partners=["tilleuls", "aide_est"],
        budget=[
            hours("Gestion du planning partagé", 200, 45),
            line(S.STAFF, "Part non couverte des salaires de nuit", 24000),
            line(S.SERVICES, "Secrétariat social du groupement", 6000),
        ],
        requested="38000.00",
        awarded="38000.00",
        expenses=["8550.00", "24000.00", "5200.00"],
        effects="Des nuits couvertes par des soignantes qui connaissent les résidents.",
        start=date(2025, 11, 1),
        end=date(2026, 10, 31),
        review=scores(Recommendation.AWARD, (5, 4, 4, 4, 5)),
    ),
    DemoFile(
        lead="applicant",
        administration="iriscare",
        steps=["submit", "start_screening", "withdraw"],
        title="Plateforme partagée de gestion des bénévoles",
        description="Un logiciel commun pour recruter, former et planifier les bénévoles des partenaires.",
        axes=[Axis.NETWORKS],
        types=[MutualisationType.COGNITIVE],
        logics=[Logic.MANAGERIAL],
        legal_form=InitiativeLegalForm.INFORMAL,
        partners=["midi"],
        budget=[line(S.SERVICES, "Licence et paramétrage du logiciel", 18000)],
        requested="15000.00",
        effects="Des bénévoles mieux accompagnés et plus fidèles.",
        comments={"withdraw": "La fédération propose désormais cet outil gratuitement à ses membres."},
    ),
    # -- Buurtzorg Schaarbeek, Iriscare ---------------------------------------------------------------
    DemoFile(
        lead="other",
        administration="iriscare",
        steps=TO_IN_PROGRESS,
        title="Mobiel team van thuisverpleegkundigen voor Schaarbeek en Evere",
        description=(
            "Drie organisaties vormen samen een mobiel team van vier verpleegkundigen dat kwetsbare "
            "ouderen thuis bezoekt, met één planning en één dossier per patiënt."
        ),
        axes=[Axis.MOBILE_TEAMS],
        types=[MutualisationType.HR_CORE, MutualisationType.COGNITIVE],
        logics=[Logic.SERVICE, Logic.SOLIDARITY],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["brug", "evere"],
        budget=[
            hours("Coördinatie van het mobiele team", 400, 50),
            line(S.STAFF, "Twee verpleegkundigen (aanvullend deel)", 70000),
            line(S.EQUIPMENT, "Elektrische fietsen en tablets", 9000),
        ],
        requested="95000.00",
        awarded="95000.00",
        effects="Ouderen blijven langer thuis wonen en worden sneller opgevolgd na een ziekenhuisopname.",
        start=date(2026, 4, 1),
        end=date(2027, 3, 31),
        review=scores(
            Recommendation.AWARD,
            (5, 5, 4, 4, 5),
            relevance="Typisch mobiel team zoals de maatregel het bedoelt.",
        ),
        other_funding="Gemeentelijke toelage Schaarbeek voor de fietsen (2 000 €).",
    ),
    DemoFile(
        lead="other",
        administration="iriscare",
        steps=TO_APPROVED,
        title="Gezamenlijke aankoop van energie voor vier buurthuizen",
        description=(
            "Vier buurthuizen kopen samen gas en elektriciteit aan en laten hun gebouwen doorlichten, "
            "om hun facturen te stabiliseren."
        ),
        axes=[Axis.PURCHASING_POOLS],
        types=[MutualisationType.FINANCIAL],
        logics=[Logic.MANAGERIAL, Logic.AUTONOMY],
        legal_form=InitiativeLegalForm.CENTRAL_PURCHASING_BODY,
        partners=["ten_noode"],
        budget=[
            hours("Coördinatie van de aankoopcentrale", 150, 50),
            line(S.SERVICES, "Energie-audit van de vier gebouwen", 16000),
            line(S.OTHER, "Juridische begeleiding van de gezamenlijke aankoop", 8000),
        ],
        requested="30000.00",
        awarded="30000.00",
        effects="Lagere energiekosten, zodat meer middelen naar de werking gaan.",
        review=scores(Recommendation.AWARD, (4, 4, 4, 4, 3)),
    ),
    DemoFile(
        lead="other",
        administration="iriscare",
        steps=["submit"],
        title="Gedeeld onthaal en telefonie voor drie buurtorganisaties",
        description=(
            "Eén onthaalbalie en één telefoonnummer voor drie organisaties in hetzelfde gebouw, met een "
            "gedeelde onthaalmedewerker."
        ),
        axes=[Axis.SUPPORT_FUNCTIONS, Axis.SHARED_PREMISES],
        types=[MutualisationType.HR_SUPPORT, MutualisationType.MATERIAL],
        logics=[Logic.SERVICE],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["brug", "ten_noode"],
        budget=[
            hours("Coördinatie", 100, 45),
            line(S.STAFF, "Onthaalmedewerker halftijds", 32000),
            line(S.EQUIPMENT, "Telefooncentrale", 5000),
        ],
        requested="40000.00",
        effects="Bewoners worden meteen naar de juiste dienst doorverwezen.",
    ),
    DemoFile(
        lead="other",
        administration="iriscare",
        steps=[*TO_SCREENING, "declare_ineligible"],
        title="Opleidingen voor thuishulpen",
        description="Een opleidingsprogramma voor de thuishulpen van Buurtzorg Schaarbeek.",
        axes=[Axis.NETWORKS],
        types=[MutualisationType.COGNITIVE],
        logics=[Logic.PROFESSIONALISATION],
        legal_form=InitiativeLegalForm.INFORMAL,
        partners=["evere"],
        budget=[line(S.TRAINING, "Opleidingsdagen", 20000)],
        requested="20000.00",
        effects="Beter opgeleide thuishulpen.",
        comments={
            "declare_ineligible": (
                "Het programma is enkel voor de eigen medewerkers bestemd: er worden geen middelen "
                "tussen de partners gedeeld. Het valt buiten de mutualiseringsmaatregel."
            )
        },
    ),
    DemoFile(
        lead="other",
        administration=None,
        steps=[],
        title="Gedeelde vergaderzalen in de Haachtsesteenweg",
        description="Twee vergaderzalen die de partners om beurten gebruiken, met een gedeelde agenda.",
        axes=[Axis.SHARED_PREMISES],
        types=[MutualisationType.MATERIAL],
        logics=[Logic.MANAGERIAL],
        legal_form=InitiativeLegalForm.AGREEMENT,
        partners=["brug"],
        budget=[line(S.PREMISES, "Inrichting van de zalen", 22000)],
        requested="20000.00",
        effects="Meer ruimte voor groepsactiviteiten met de bewoners.",
    ),
    # -- Collectif Compta Partagée, Cocof: its closed grant is what makes it a mentor -----------------
    DemoFile(
        lead="mentor",
        administration="cocof",
        steps=[*TO_IN_PROGRESS, "pay_advance", "interim_report", "final_report", "close"],
        title="Comptable partagé pour six ASBL socioculturelles",
        description=(
            "Un comptable engagé par le Collectif tient la comptabilité de six ASBL socioculturelles "
            "d'Ixelles, avec un plan comptable et des procédures communes."
        ),
        axes=[Axis.SUPPORT_FUNCTIONS],
        types=[MutualisationType.HR_SUPPORT, MutualisationType.COGNITIVE],
        logics=[Logic.MANAGERIAL, Logic.PROFESSIONALISATION],
        legal_form=InitiativeLegalForm.UMBRELLA_NON_PROFIT,
        partners=["theatre", "jeunes"],
        budget=[
            hours("Coordination entre les six ASBL", 160, 50),
            line(S.STAFF, "Comptable à mi-temps", 48000),
            line(S.SERVICES, "Logiciel comptable partagé", 8000),
        ],
        requested="60000.00",
        awarded="60000.00",
        expenses=["7200.00", "45600.00", "5000.00"],
        effects="Des comptes annuels déposés à temps et des directions qui comprennent leurs chiffres.",
        start=date(2026, 2, 1),
        end=date(2026, 9, 30),
        review=scores(Recommendation.AWARD, (5, 5, 5, 4, 4)),
        comments={"close": "Dépenses justifiées acceptées : 57 800 €."},
    ),
    DemoFile(
        lead="mentor",
        administration="cocof",
        steps=TO_REVIEW,
        title="Outil de gestion budgétaire commun",
        description=(
            "Un tableau de bord budgétaire partagé par les ASBL du Collectif, alimenté par la comptabilité "
            "commune, avec des formations à son usage."
        ),
        axes=[Axis.SUPPORT_FUNCTIONS, Axis.NETWORKS],
        types=[MutualisationType.COGNITIVE],
        logics=[Logic.PROFESSIONALISATION],
        legal_form=InitiativeLegalForm.UMBRELLA_NON_PROFIT,
        partners=["theatre", "jeunes"],
        budget=[
            hours("Conception avec les trésoriers", 120, 50),
            line(S.SERVICES, "Développement du tableau de bord", 18000),
            line(S.TRAINING, "Formations des trésoriers", 4000),
        ],
        requested="25000.00",
        effects="Des décisions budgétaires prises à temps, sur des chiffres fiables.",
        review=scores(
            Recommendation.AWARD,
            (4, 4, 5, 4, 3),
            partnership="Partenariat déjà éprouvé par le comptable partagé.",
        ),
    ),
]


# -- loading -----------------------------------------------------------------------------------------


def _partner(key: str) -> Organisation:
    number, name_fr, name_nl, postal_code, city, language = PARTNERS[key]
    organisation, _created = Organisation.objects.get_or_create(
        enterprise_number=number,
        defaults={
            "name_fr": name_fr,
            "name_nl": name_nl,
            "legal_form": LegalForm.ASBL,
            "street": "Rue de la Démo 1" if language == "fr" else "Demostraat 1",
            "postal_code": postal_code,
            "city": city,
            "iban": "BE43068999999501",
            "bic": "GKCCBEBB",
            "email": f"contact-{key.replace('_', '-')}@demo.example",
            "preferred_language": language,
            "headcount_fte": Decimal("6.00"),
            "annual_budget": Decimal("350000.00"),
        },
    )
    return organisation


def _calls() -> Call:
    today = timezone.localdate()
    administrations = {a.code: a for a in Administration.objects.all()}
    # Open today, whenever the demo is loaded (submissions need an open call).
    current = Call.objects.create(
        title_fr=OPEN_CALL_TITLE_FR,
        title_nl="Oproep mutualiseringsprojecten 2026",
        opens_on=min(date(2026, 1, 15), today - timedelta(days=30)),
        closes_on=max(date(2026, 12, 31), today + timedelta(days=90)),
        max_amount_per_application=Decimal("150000.00"),
        advance_percentage=Decimal("70.00"),
        required_documents=[],
    )
    previous = Call.objects.create(
        title_fr="Appel à projets mutualisation 2025",
        title_nl="Oproep mutualiseringsprojecten 2025",
        opens_on=date(2025, 2, 1),
        closes_on=date(2025, 4, 30),
        max_amount_per_application=Decimal("150000.00"),
        advance_percentage=Decimal("70.00"),
        required_documents=[],
    )
    for call, cocof, iriscare in [(current, "600000.00", "400000.00"), (previous, "500000.00", "350000.00")]:
        Envelope.objects.create(call=call, administration=administrations["cocof"], amount=Decimal(cocof))
        Envelope.objects.create(
            call=call, administration=administrations["iriscare"], amount=Decimal(iriscare)
        )
    return current


class _Walk:
    """Takes one demo file through its steps, as the people of its administration."""

    def __init__(self, application: GrantApplication, demo: DemoFile, applicant: User):
        self.application = application
        self.demo = demo
        self.applicant = applicant
        code = demo.administration or "cocof"
        self.officer = User.objects.get(email=f"officer.{code}@demo.example")
        self.approver = User.objects.get(email=f"approver.{code}@demo.example")
        self.finance = User.objects.get(email=f"finance.{code}@demo.example")

    def act(self, name: str, user, **data) -> None:
        data.setdefault("comment", self.demo.comments.get(name, ""))
        self.application = perform_transition(file=self.application, name=name, acting_user=user, data=data)

    def advance_order(self) -> PaymentOrder:
        return PaymentOrder.objects.get(
            content_type=ContentType.objects.get_for_model(GrantApplication),
            object_id=self.application.pk,
            kind=PaymentOrder.Kind.GRANT_ADVANCE,
        )

    def step(self, name: str) -> None:
        demo = self.demo
        if name == "submit":
            self.act("submit", self.applicant, administration=demo.administration)
        elif name in {"start_screening", "request_information", "declare_ineligible", "admit"}:
            self.act(name, self.officer)
        elif name in {"resubmit", "accept", "withdraw"}:
            self.act(name, self.applicant)
        elif name == "review":
            declare_conflict(file=self.application, acting_user=self.officer, has_conflict=False)
            record_review(acting_user=self.officer, application=self.application, data=demo.review)
        elif name == "approve":
            self.act("approve", self.approver, awarded_amount=demo.awarded)
        elif name == "reject":
            self.act("reject", self.approver)
        elif name in {"approve_advance", "pay_advance"}:
            order = perform_transition(file=self.advance_order(), name="approve", acting_user=self.finance)
            if name == "pay_advance":
                perform_transition(file=order, name="mark_paid", acting_user=self.finance)
        elif name == "interim_report":
            file_report(
                acting_user=self.applicant,
                application=self.application,
                kind="interim",
                activities="Recrutement, convention signée par tous les partenaires, premier comité de suivi."
                if self.applicant.preferred_language == "fr"
                else "Aanwerving, overeenkomst door alle partners ondertekend, eerste stuurgroep.",
            )
        elif name == "final_report":
            lines = list(self.application.budget_lines.all())
            file_report(
                acting_user=self.applicant,
                application=self.application,
                kind="final",
                activities="Le projet s'est déroulé comme prévu ; la fonction partagée est pérennisée.",
                results="Tous les partenaires ont utilisé le service ; une évaluation commune est jointe.",
                expenses={
                    line.pk: Decimal(amount) for line, amount in zip(lines, demo.expenses, strict=True)
                },
            )
            self.act("submit_final_report", self.applicant)
        elif name == "close":
            accepted = sum((Decimal(amount) for amount in demo.expenses), Decimal("0.00"))
            self.act("close", self.approver, accepted_expenses=str(accepted))
        else:
            raise ValueError(f"unknown demo step {name!r}")


def _create(demo: DemoFile, call: Call) -> GrantApplication:
    number, email = LEADS[demo.lead]
    applicant = User.objects.get(email=email)
    application = create_draft(
        acting_user=applicant,
        call=call,
        lead_organisation=Organisation.objects.get(enterprise_number=number),
        partners=[_partner(key) for key in demo.partners],
        data={
            "title": demo.title,
            "description": demo.description,
            "axes": [str(a) for a in demo.axes],
            "types": [str(t) for t in demo.types],
            "logics": [str(logic) for logic in demo.logics],
            "initiative_legal_form": str(demo.legal_form),
            "start_date": demo.start,
            "end_date": demo.end,
            "requested_amount": Decimal(demo.requested),
            "expected_effects": demo.effects,
            "other_public_funding": demo.other_funding,
        },
    )
    replace_budget_lines(acting_user=applicant, application=application, lines=demo.budget)
    walk = _Walk(application, demo, applicant)
    for name in demo.steps:
        walk.step(name)
    return walk.application


def demo_data_loaded() -> bool:
    return Call.objects.filter(title_fr=OPEN_CALL_TITLE_FR).exists()


@transaction.atomic
def load_grant_demo_data() -> int:
    """Create the demo calls and grant files; returns how many files were created (0 if loaded before)."""
    if demo_data_loaded():
        return 0
    call = _calls()
    created = [_create(demo, call) for demo in FILES]
    _demo_conversation(created)
    return len(created)


def _demo_conversation(applications: list[GrantApplication]) -> None:
    """On the file whose information was requested: the officer's question, the applicant's answer
    and an internal note, so that the messages page and its notifications can be tried at once."""
    from core.messaging import post_message

    waiting = next((one for one in applications if one.state == State.INFORMATION_REQUESTED), None)
    if waiting is None:
        return
    officer = User.objects.get(email=f"officer.{waiting.administration.code}@demo.example")
    member = User.objects.get(email=LEADS[next(d.lead for d in FILES if d.title == waiting.title)][1])
    post_message(
        file=waiting,
        acting_user=officer,
        body="Bonjour, pourriez-vous joindre la convention de partenariat signée par les deux associations ?",
    )
    post_message(
        file=waiting,
        acting_user=member,
        body="Bonjour, la convention est en cours de signature ; nous l'ajouterons aux documents cette semaine.",
    )
    post_message(
        file=waiting,
        acting_user=officer,
        body="Note interne : vérifier que le partenaire est bien reconnu par la Cocof avant l'admission.",
        internal=True,
    )


# The states the demo files reach (the tests check each is present).
DEMO_STATES = {
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.INFORMATION_REQUESTED,
    State.INELIGIBLE,
    State.UNDER_REVIEW,
    State.APPROVED,
    State.REJECTED,
    State.IN_PROGRESS,
    State.FINAL_REPORT_SUBMITTED,
    State.CLOSED,
    State.WITHDRAWN,
}
