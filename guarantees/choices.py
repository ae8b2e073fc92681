from django.db import models
from django.utils.translation import gettext_lazy as _


class RepaymentProfile(models.TextChoices):
    ANNUITY = "annuity", _("Annuity (constant instalments)")
    LINEAR = "linear", _("Linear (constant principal)")
    BULLET = "bullet", _("Bullet (principal at maturity)")
    CREDIT_LINE = "credit_line", _("Credit line")


class LoanType(models.TextChoices):
    AMORTISING = "amortising", _("Amortising loan")
    CREDIT_LINE = "credit_line", _("Credit line")


def loan_type_of(profile: str) -> str:
    return LoanType.CREDIT_LINE if profile == RepaymentProfile.CREDIT_LINE else LoanType.AMORTISING


class Rating(models.TextChoices):
    A = "A", _("A – very low risk")
    B = "B", _("B – low risk")
    C = "C", _("C – moderate risk")
    D = "D", _("D – high risk")
    E = "E", _("E – very high risk")


class Recommendation(models.TextChoices):
    OFFER = "offer", _("Offer the guarantee")
    OFFER_WITH_CONDITIONS = "offer_with_conditions", _("Offer with different terms")
    REJECT = "reject", _("Reject")


class FeeFrequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")
    ONE_OFF = "one_off", _("One-off fee")


FREQUENCY_MONTHS = {FeeFrequency.QUARTERLY: 3, FeeFrequency.ANNUAL: 12}
