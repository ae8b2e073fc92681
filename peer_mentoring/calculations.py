"""Pure computations of mentoring: compensation and hours (Decimal, half-up, never floats)."""

from decimal import Decimal

from core.money import to_money

QUARTER = Decimal("0.25")


def compensation(hours: Decimal, hourly_rate: Decimal) -> Decimal:
    """Validated hours × the agreement's rate, in EUR rounded half-up to the cent."""
    return to_money(Decimal(hours) * Decimal(hourly_rate))


def is_quarter_hours(hours: Decimal) -> bool:
    return hours > 0 and (Decimal(hours) % QUARTER) == 0


def hours_left(cap: Decimal, counted: Decimal) -> Decimal:
    return max(Decimal(cap) - Decimal(counted), Decimal("0.00"))


def hours_text(value) -> str:
    """Hours as people write them, in the active locale: `3`, `2,5`, `1,25`."""
    from django.utils import formats

    amount = Decimal(value).quantize(Decimal("0.01"))
    amount = amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()
    return formats.number_format(amount)
