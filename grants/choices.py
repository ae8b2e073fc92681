"""The vocabularies of a mutualisation initiative (DOMAIN.md, SPEC §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Axis(models.TextChoices):
    """Axes of the non-profit agreement's mutualisation measure."""

    SUPPORT_FUNCTIONS = "support_functions", _("Shared support functions and services")
    MOBILE_TEAMS = "mobile_teams", _("Mobile teams")
    EMPLOYER_GROUPINGS = "employer_groupings", _("Employer groupings")
    NETWORKS = "networks", _("Networks and cooperation agreements")
    SHARED_PREMISES = "shared_premises", _("Shared premises for front-line professionals")
    PURCHASING_POOLS = "purchasing_pools", _("Purchasing pools")


class MutualisationType(models.TextChoices):
    MATERIAL = "material", _("Material (premises, buildings, equipment)")
    FINANCIAL = "financial", _("Financial (assets or cash)")
    COGNITIVE = "cognitive", _("Cognitive (databases, shared files, knowledge)")
    HR_SUPPORT = "hr_support", _("Human resources – support functions")
    HR_CORE = "hr_core", _("Human resources – core functions")


class Logic(models.TextChoices):
    MANAGERIAL = "managerial", _("Managerial (economies of scale)")
    SERVICE = "service", _("Service (quality, quantity, accessibility)")
    SOLIDARITY = "solidarity", _("Solidarity (organisations in difficulty or in development)")
    AUTONOMY = "autonomy", _("Autonomy (weight as a collective)")
    PROFESSIONALISATION = (
        "professionalisation",
        _("Professionalisation (structuring functions and practices)"),
    )


class InitiativeLegalForm(models.TextChoices):
    UMBRELLA_NON_PROFIT = "umbrella_non_profit", _("Umbrella non-profit")
    EMPLOYER_GROUPING = "employer_grouping", _("Employer grouping")
    CENTRAL_PURCHASING_BODY = "central_purchasing_body", _("Central purchasing body")
    AGREEMENT = "agreement", _("Agreement between partners")
    INFORMAL = "informal", _("Informal")


class BudgetCategory(models.TextChoices):
    COORDINATION_HOURS = "coordination_hours", _("Coordination hours")
    STAFF = "staff", _("Staff")
    EQUIPMENT = "equipment", _("Equipment")
    PREMISES = "premises", _("Premises")
    SERVICES = "services", _("External services")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Recommendation(models.TextChoices):
    AWARD = "award", _("Award")
    AWARD_REDUCED = "award_reduced", _("Award a reduced amount")
    REJECT = "reject", _("Reject")


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim activity report")
    FINAL = "final", _("Final report")
