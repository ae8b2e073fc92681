"""Reference data: administrations, recognising authorities (and their routing), the 19 municipalities
of the Brussels-Capital Region with their NIS and postal codes, and the joint committees.

Administrators change these rows in the Django admin; this module only seeds them."""

ADMINISTRATIONS = [
    (
        "cocof",
        "Commission communautaire française (Cocof)",
        "Franse Gemeenschapscommissie (Cocof)",
        "info@spfb.brussels",
    ),
    ("iriscare", "Iriscare", "Iriscare", "info@iriscare.brussels"),
]

# code, French, Dutch, administration files are routed to (SPEC §1, configurable in the admin)
AUTHORITIES = [
    ("cocof", "Cocof", "Cocof", "cocof"),
    (
        "cocom",
        "COCOM / Commission communautaire commune",
        "GGC / Gemeenschappelijke Gemeenschapscommissie",
        "iriscare",
    ),
    ("region", "Région de Bruxelles-Capitale", "Brussels Hoofdstedelijk Gewest", "iriscare"),
]

# NIS code, French, Dutch, postal codes
MUNICIPALITIES = [
    ("21001", "Anderlecht", "Anderlecht", ["1070"]),
    ("21002", "Auderghem", "Oudergem", ["1160"]),
    ("21003", "Berchem-Sainte-Agathe", "Sint-Agatha-Berchem", ["1082"]),
    ("21004", "Bruxelles", "Brussel", ["1000", "1020", "1040", "1050", "1120", "1130"]),
    ("21005", "Etterbeek", "Etterbeek", ["1040"]),
    ("21006", "Evere", "Evere", ["1140"]),
    ("21007", "Forest", "Vorst", ["1190"]),
    ("21008", "Ganshoren", "Ganshoren", ["1083"]),
    ("21009", "Ixelles", "Elsene", ["1050"]),
    ("21010", "Jette", "Jette", ["1090"]),
    ("21011", "Koekelberg", "Koekelberg", ["1081"]),
    ("21012", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek", ["1080"]),
    ("21013", "Saint-Gilles", "Sint-Gillis", ["1060"]),
    ("21014", "Saint-Josse-ten-Noode", "Sint-Joost-ten-Node", ["1210"]),
    ("21015", "Schaerbeek", "Schaarbeek", ["1030"]),
    ("21016", "Uccle", "Ukkel", ["1180"]),
    ("21017", "Watermael-Boitsfort", "Watermaal-Bosvoorde", ["1170"]),
    ("21018", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", ["1200"]),
    ("21019", "Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe", ["1150"]),
]

# number, French, Dutch, eligible (DOMAIN: 318, 319, 327, 329, 330, 331, 332, 337)
JOINT_COMMITTEES = [
    (
        "318",
        "Services des aides familiales et des aides seniors",
        "Diensten voor gezins- en bejaardenhulp",
        True,
    ),
    (
        "319",
        "Établissements et services d'éducation et d'hébergement",
        "Opvoedings- en huisvestingsinrichtingen en -diensten",
        True,
    ),
    (
        "327",
        "Entreprises de travail adapté et ateliers sociaux",
        "Maatwerkbedrijven en sociale werkplaatsen",
        True,
    ),
    ("329", "Secteur socio-culturel", "Sociaal-cultureel werk", True),
    ("330", "Établissements et services de santé", "Gezondheidsinrichtingen en -diensten", True),
    (
        "331",
        "Secteur flamand de l'aide sociale et des soins de santé",
        "Vlaamse welzijns- en gezondheidssector",
        True,
    ),
    (
        "332",
        "Secteur francophone et germanophone de l'aide sociale et des soins de santé",
        "Franstalige en Duitstalige welzijns- en gezondheidssector",
        True,
    ),
    (
        "337",
        "Commission paritaire auxiliaire pour le secteur non-marchand",
        "Aanvullend paritair comité voor de non-profitsector",
        True,
    ),
    (
        "200",
        "Commission paritaire auxiliaire pour employés",
        "Aanvullend paritair comité voor de bedienden",
        False,
    ),
    ("310", "Banques", "Banken", False),
]


def load_reference_data(get_model=None) -> None:
    """Create whatever reference row is missing (idempotent). `get_model` is a migration's
    `apps.get_model`; by default, the current models."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    Administration = get_model("accounts", "Administration")
    RecognitionAuthority = get_model("accounts", "RecognitionAuthority")
    Municipality = get_model("accounts", "Municipality")
    PostalCode = get_model("accounts", "PostalCode")
    JointCommittee = get_model("accounts", "JointCommittee")

    administrations = {}
    for code, name_fr, name_nl, email in ADMINISTRATIONS:
        administrations[code], _ = Administration.objects.get_or_create(
            code=code, defaults={"name_fr": name_fr, "name_nl": name_nl, "email": email}
        )
    for code, name_fr, name_nl, administration in AUTHORITIES:
        RecognitionAuthority.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": name_fr,
                "name_nl": name_nl,
                "administration": administrations[administration],
            },
        )
    for nis_code, name_fr, name_nl, postal_codes in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(
            nis_code=nis_code, defaults={"name_fr": name_fr, "name_nl": name_nl}
        )
        for postal_code in postal_codes:
            PostalCode.objects.get_or_create(code=postal_code, municipality=municipality)
    for number, name_fr, name_nl, eligible in JOINT_COMMITTEES:
        JointCommittee.objects.get_or_create(
            number=number, defaults={"name_fr": name_fr, "name_nl": name_nl, "eligible": eligible}
        )
