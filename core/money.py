"""Money: `Decimal` in EUR with 2 places, rounded half-up; displayed per locale."""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import format_currency, get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language

CENT = Decimal("0.01")
_BABEL_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_IE"}
_SAMPLE = Decimal("1234567.89")


def to_money(value: Decimal | int | str) -> Decimal:
    """Round to the cent, half-up. Floats are refused: they cannot hold cents exactly."""
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a Decimal, an int or a string.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@cache
def _layout(locale: str) -> tuple[str, str, str, str]:
    """The locale's group and decimal symbols and its positive and negative patterns, asked of Babel
    once: a list page formats hundreds of amounts and Babel parses its pattern on every call."""
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    digits = f"1{group}234{group}567{decimal}89"
    positive = format_currency(_SAMPLE, "EUR", locale=locale).replace(digits, "{}")
    negative = format_currency(-_SAMPLE, "EUR", locale=locale).replace(digits, "{}")
    return group, decimal, positive, negative


def format_money(value: Decimal | int | str | None, language: str | None = None) -> str:
    """`12 500,00 €` in French, `€ 12.500,00` in Dutch, `€12,500.00` in English (Babel's CLDR
    patterns, applied without re-parsing them for every amount)."""
    if value is None or value == "":
        return ""
    language = (language or get_language() or "fr").split("-")[0]
    group, decimal, positive, negative = _layout(_BABEL_LOCALES.get(language, "fr_BE"))
    amount = to_money(value)
    digits = f"{abs(amount):,.2f}".replace(",", "\0").replace(".", decimal).replace("\0", group)
    return (negative if amount < 0 else positive).format(digits)
