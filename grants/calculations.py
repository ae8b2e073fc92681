"""Pure money computations of a grant (Decimal in, Decimal out, rounded half-up to the cent)."""

from decimal import Decimal

from core.money import to_money


def advance_amount(awarded: Decimal, advance_percentage: Decimal) -> Decimal:
    """The advance paid on acceptance: a percentage of the award."""
    return to_money(awarded * advance_percentage / Decimal(100))


def final_cost(awarded: Decimal, accepted_expenses: Decimal) -> Decimal:
    """What the grant finally costs: the award, or less when fewer expenses were accepted."""
    return to_money(min(awarded, accepted_expenses))


def settlement(awarded: Decimal, accepted_expenses: Decimal, paid: Decimal) -> Decimal:
    """min(award, accepted expenses) − paid: positive, a balance to pay; negative, an amount to recover."""
    return to_money(final_cost(awarded, accepted_expenses) - paid)
