"""Money: `Decimal` in EUR with 2 places, rounded half-up; displayed per locale."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency
from django.utils.translation import get_language

CENT = Decimal("0.01")
_BABEL_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_IE"}


def to_money(value: Decimal | int | str) -> Decimal:
    """Round to the cent, half-up. Floats are refused: they cannot hold cents exactly."""
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a Decimal, an int or a string.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | int | str | None, language: str | None = None) -> str:
    """`12 500,00 €` in French, `€ 12.500,00` in Dutch, `€12,500.00` in English."""
    if value is None or value == "":
        return ""
    language = (language or get_language() or "fr").split("-")[0]
    return format_currency(to_money(value), "EUR", locale=_BABEL_LOCALES.get(language, "fr_BE"))
