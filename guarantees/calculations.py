"""Pure money computations of the guarantee scheme: `Decimal` in, `Decimal` out, no database.

Schedules are monthly, the first instalment one month after disbursement; each line's principal is
rounded to the cent and the rounding remainder goes to the last instalment, so the principal always
sums exactly to the loan. Rates are annual percentages (`Decimal("4.5")` is 4.5 %).
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from core.money import CENT, to_money

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
TWELVE = Decimal(12)


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    outstanding_after: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _monthly_rate(annual_rate: Decimal) -> Decimal:
    return Decimal(annual_rate) / HUNDRED / TWELVE


def _lines(amount: Decimal, start: date, principals: Sequence[Decimal], rate: Decimal) -> list[Instalment]:
    """Instalments from a principal per month (already summing to `amount`), interest on what is left."""
    lines, outstanding = [], amount
    for number, principal in enumerate(principals, start=1):
        interest = to_money(outstanding * rate)
        outstanding -= principal
        lines.append(Instalment(number, add_months(start, number), principal, interest, outstanding))
    return lines


def annuity_payment(amount: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """The constant monthly instalment (principal plus interest) of an annuity loan."""
    rate = _monthly_rate(annual_rate)
    if rate == 0:
        return to_money(amount / months)
    return to_money(amount * rate / (1 - (1 + rate) ** -months))


def annuity_schedule(amount: Decimal, annual_rate: Decimal, months: int, start: date) -> list[Instalment]:
    amount = to_money(amount)
    rate = _monthly_rate(annual_rate)
    payment = annuity_payment(amount, annual_rate, months)
    principals, outstanding = [], amount
    for number in range(1, months + 1):
        if number == months:
            principal = outstanding
        else:
            principal = min(outstanding, max(ZERO, payment - to_money(outstanding * rate)))
        principals.append(principal)
        outstanding -= principal
    return _lines(amount, start, principals, rate)


def linear_schedule(amount: Decimal, annual_rate: Decimal, months: int, start: date) -> list[Instalment]:
    amount = to_money(amount)
    base = (amount / months).quantize(CENT, rounding=ROUND_DOWN)
    principals = [base] * (months - 1) + [amount - base * (months - 1)]
    return _lines(amount, start, principals, _monthly_rate(annual_rate))


def bullet_schedule(amount: Decimal, annual_rate: Decimal, months: int, start: date) -> list[Instalment]:
    """Interest every month, the whole principal at maturity (a credit line: its limit at the end)."""
    amount = to_money(amount)
    principals = [ZERO] * (months - 1) + [amount]
    return _lines(amount, start, principals, _monthly_rate(annual_rate))


SCHEDULES = {
    "annuity": annuity_schedule,
    "linear": linear_schedule,
    "bullet": bullet_schedule,
    "credit_line": bullet_schedule,
}


def schedule(
    profile: str, amount: Decimal, annual_rate: Decimal, months: int, start: date
) -> list[Instalment]:
    if months < 1:
        raise ValueError("A loan lasts at least one month.")
    return SCHEDULES[profile](amount, annual_rate, months, start)


# -- outstanding amounts -----------------------------------------------------------------------------


def scheduled_outstanding(amount: Decimal, lines: Iterable[Instalment], on: date) -> Decimal:
    """The principal left after every instalment due on or before `on`."""
    return to_money(amount) - sum((line.principal for line in lines if line.due_date <= on), ZERO)


def outstanding_principal(
    amount: Decimal,
    lines: Iterable[Instalment],
    declarations: Iterable[tuple[date, Decimal]],
    on: date,
) -> Decimal:
    """The outstanding principal at `on`: the lender's latest declaration on or before that date
    overrides the schedule from its date on; before any declaration, the schedule."""
    declared = [(day, value) for day, value in declarations if day <= on]
    if declared:
        return to_money(max(declared, key=lambda item: item[0])[1])
    return scheduled_outstanding(amount, lines, on)


def guaranteed_part(outstanding: Decimal, coverage: Decimal) -> Decimal:
    """The guarantee covers principal and shrinks in proportion to each repayment."""
    return to_money(Decimal(outstanding) * Decimal(coverage) / HUNDRED)


# -- fees -------------------------------------------------------------------------------------------


def fee_periods(start: date, months: int, period_months: int | None) -> list[tuple[date, date]]:
    """The billing periods of a guarantee of `months` from `start` (one period for a one-off fee)."""
    if not period_months:
        return [(start, add_months(start, months))]
    periods, offset = [], 0
    while offset < months:
        periods.append((add_months(start, offset), add_months(start, min(offset + period_months, months))))
        offset += period_months
    return periods


def period_fee(guaranteed_outstanding: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """The fee of one billing period: the annual rate on the outstanding guaranteed amount at the
    period's start, pro rata to the period's months."""
    return to_money(Decimal(guaranteed_outstanding) * Decimal(annual_rate) / HUNDRED * months / TWELVE)


def one_off_fee(guaranteed: Decimal, rate: Decimal) -> Decimal:
    return to_money(Decimal(guaranteed) * Decimal(rate) / HUNDRED)


# -- claims and recoveries --------------------------------------------------------------------------


def covered_interest(
    outstanding: Decimal, annual_rate: Decimal, arrears_days: int, covered_days: int
) -> Decimal:
    """Contractual interest on the outstanding principal for the days in arrears, within the rule."""
    days = max(0, min(arrears_days, covered_days))
    return to_money(Decimal(outstanding) * Decimal(annual_rate) / HUNDRED * days / Decimal(365))


def claim_amount(
    *,
    coverage: Decimal,
    outstanding_at_default: Decimal,
    annual_rate: Decimal,
    arrears_days: int,
    covered_interest_days: int,
) -> Decimal:
    """Coverage × (outstanding principal at default + covered interest)."""
    interest = covered_interest(outstanding_at_default, annual_rate, arrears_days, covered_interest_days)
    return guaranteed_part(Decimal(outstanding_at_default) + interest, coverage)


def recovery_share(recovered: Decimal, coverage: Decimal) -> Decimal:
    """The fund's share of a recovery: pro rata to the coverage (the lender keeps the rest)."""
    return guaranteed_part(recovered, coverage)


# -- state aid --------------------------------------------------------------------------------------


def aid_equivalent(
    *,
    guaranteed: Decimal,
    months: int,
    market_premium: Decimal,
    fee_rate: Decimal,
    one_off: bool = False,
) -> Decimal:
    """Gross grant equivalent: the market premium the borrower does not pay, over the guarantee's
    life (the safe-harbour premium of its rating minus the fee charged, both annual percentages)."""
    years = Decimal(months) / TWELVE
    annual_fee = Decimal(fee_rate) / years if one_off and years else Decimal(fee_rate)
    saving = max(Decimal(0), Decimal(market_premium) - annual_fee)
    return to_money(Decimal(guaranteed) * saving / HUNDRED * years)


# -- the fund ---------------------------------------------------------------------------------------


def capacity(endowment: Decimal, multiplier: Decimal) -> Decimal:
    return to_money(Decimal(endowment) * Decimal(multiplier))


def use_percentage(exposure: Decimal, fund_capacity: Decimal) -> Decimal:
    if not fund_capacity:
        return Decimal("0.00")
    return (Decimal(exposure) * HUNDRED / Decimal(fund_capacity)).quantize(CENT)


def expected_calls(exposure_by_rating: dict[str, Decimal], default_rates: dict[str, Decimal]) -> Decimal:
    """Stress scenario: exposure of each rating × its default rate (a percentage)."""
    return to_money(
        sum(
            (
                Decimal(exposure) * Decimal(default_rates.get(rating, 0)) / HUNDRED
                for rating, exposure in exposure_by_rating.items()
            ),
            Decimal(0),
        )
    )
