"""Demo accounts (SPEC §8) and their organisations: people, organisations, recognitions and staff
roles, the part of the demo data that belongs to no scheme. Loaded by core's `load_demo_data`
command, which then asks each registered scheme for its demo files."""

from datetime import UTC, date, datetime
from decimal import Decimal

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

DEMO_PASSWORD = "demo-password-2026"

ORGANISATIONS = {
    "applicant": dict(
        name_fr="Maison des Solidarités",
        name_nl="Huis van de Solidariteit",
        legal_form=LegalForm.ASBL,
        enterprise_number="0412345614",
        street="Rue Haute 120",
        postal_code="1000",
        city="Bruxelles",
        iban="BE71096123456769",
        bic="GKCCBEBB",
        email="contact@maison-solidarites.example",
        preferred_language="fr",
        headcount_fte=Decimal("24.50"),
        annual_budget=Decimal("1850000.00"),
    ),
    "other": dict(
        name_nl="Buurtzorg Schaarbeek",
        legal_form=LegalForm.ASBL,
        enterprise_number="0423456765",
        street="Haachtsesteenweg 300",
        postal_code="1030",
        city="Schaarbeek",
        iban="BE62510007547061",
        bic="VAPEBE22",
        email="info@buurtzorg-schaarbeek.example",
        preferred_language="nl",
        headcount_fte=Decimal("12.00"),
        annual_budget=Decimal("760000.00"),
    ),
    "mentor": dict(
        name_fr="Collectif Compta Partagée",
        name_nl="Collectief Gedeelde Boekhouding",
        legal_form=LegalForm.ASBL,
        enterprise_number="0434567819",
        street="Chaussée de Wavre 45",
        postal_code="1050",
        city="Ixelles",
        iban="BE43068999999501",
        bic="GKCCBEBB",
        email="bonjour@compta-partagee.example",
        preferred_language="fr",
        headcount_fte=Decimal("8.00"),
        annual_budget=Decimal("420000.00"),
        is_mentor=True,
    ),
    "lender": dict(
        name_fr="Banque Coopérative de Bruxelles",
        name_nl="Coöperatieve Bank Brussel",
        legal_form=LegalForm.COMPANY,
        enterprise_number="0445678970",
        street="Boulevard Anspach 1",
        postal_code="1000",
        city="Bruxelles",
        iban="BE68539007547034",
        bic="GKCCBEBB",
        email="credit@banque-cooperative.example",
        preferred_language="fr",
        headcount_fte=Decimal("350.00"),
        annual_budget=Decimal("90000000.00"),
        is_financial_institution=True,
    ),
}

# e-mail, first name, last name, language, organisation key, membership role
MEMBERS = [
    ("applicant@demo.example", "Amélie", "Dubois", "fr", "applicant", Membership.Role.ADMIN),
    ("colleague@demo.example", "Pieter", "Janssens", "nl", "applicant", Membership.Role.MEMBER),
    ("other-applicant@demo.example", "Sofie", "Peeters", "nl", "other", Membership.Role.ADMIN),
    ("mentor@demo.example", "Karim", "El Amrani", "fr", "mentor", Membership.Role.ADMIN),
    ("lender@demo.example", "Claire", "Lambert", "fr", "lender", Membership.Role.ADMIN),
]

# e-mail, first name, last name, language, administration, role
STAFF = [
    ("officer.cocof@demo.example", "Nadia", "Benali", "fr", "cocof", StaffRole.Role.OFFICER),
    ("approver.cocof@demo.example", "Marc", "Lejeune", "fr", "cocof", StaffRole.Role.APPROVER),
    ("finance.cocof@demo.example", "Isabelle", "Renard", "fr", "cocof", StaffRole.Role.FINANCE),
    ("officer.iriscare@demo.example", "Joris", "De Smet", "nl", "iriscare", StaffRole.Role.OFFICER),
    ("approver.iriscare@demo.example", "Els", "Vermeulen", "nl", "iriscare", StaffRole.Role.APPROVER),
    ("finance.iriscare@demo.example", "Tom", "Claes", "nl", "iriscare", StaffRole.Role.FINANCE),
]


def _user(email: str, first_name: str, last_name: str, language: str, **extra) -> User:
    from allauth.account.models import EmailAddress

    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, "preferred_language": language, **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load_accounts_demo_data() -> None:
    """Idempotent: running it twice creates nothing twice."""
    committees = {c.number: c for c in JointCommittee.objects.all()}
    administrations = {a.code: a for a in Administration.objects.all()}
    authorities = {a.code: a for a in RecognitionAuthority.objects.all()}
    administrations["cocof"].iban = administrations["cocof"].iban or "BE68539007547034"
    administrations["cocof"].bic = administrations["cocof"].bic or "GKCCBEBB"
    administrations["cocof"].save()
    administrations["iriscare"].iban = administrations["iriscare"].iban or "BE62510007547061"
    administrations["iriscare"].bic = administrations["iriscare"].bic or "VAPEBE22"
    administrations["iriscare"].save()

    organisations = {}
    for key, data in ORGANISATIONS.items():
        organisations[key], _ = Organisation.objects.get_or_create(
            enterprise_number=data["enterprise_number"], defaults=data
        )
    organisations["applicant"].joint_committees.add(committees["319"], committees["332"])
    organisations["other"].joint_committees.add(committees["331"])
    organisations["mentor"].joint_committees.add(committees["329"])
    organisations["lender"].joint_committees.add(committees["310"])

    recognitions = [
        ("applicant", "cocof", "319", "COCOF-ACC-2021-0187"),
        ("applicant", "cocom", "332", "GGC-ERK-2022-0456"),
        ("other", "cocom", "331", "GGC-ERK-2021-0912"),
        ("mentor", "cocof", "329", "COCOF-ACC-2020-0033"),
    ]
    for key, authority, committee, reference in recognitions:
        Recognition.objects.get_or_create(
            organisation=organisations[key],
            reference=reference,
            defaults={
                "authority": authorities[authority],
                "joint_committee": committees[committee],
                "valid_from": date(2021, 12, 23),
                "valid_until": date(2027, 12, 31),
                "under_agreement": True,
            },
        )

    for email, first_name, last_name, language, key, role in MEMBERS:
        user = _user(email, first_name, last_name, language)
        Membership.objects.get_or_create(user=user, organisation=organisations[key], defaults={"role": role})
    officers = {}
    for email, first_name, last_name, language, administration, role in STAFF:
        user = _user(email, first_name, last_name, language)
        StaffRole.objects.get_or_create(user=user, administration=administrations[administration], role=role)
        officers[email] = user
    Recognition.objects.filter(
        organisation__in=[organisations["applicant"], organisations["other"], organisations["mentor"]],
        verified_at__isnull=True,
    ).exclude(reference="GGC-ERK-2022-0456").update(
        verified_at=datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
        verified_by=officers["officer.cocof@demo.example"],
    )
    _user("admin@demo.example", "Admin", "Demo", "en", is_staff=True, is_superuser=True)
