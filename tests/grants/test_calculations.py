"""The pure money computations of a grant (grants/calculations.py), edge cases included."""

from decimal import Decimal

import pytest

from grants.calculations import advance_amount, final_cost, settlement

D = Decimal


@pytest.mark.parametrize(
    ("awarded", "percentage", "advance"),
    [
        (D("35000.00"), D("70.00"), D("24500.00")),
        (D("33333.33"), D("70.00"), D("23333.33")),  # 23 333.331
        (D("35000.01"), D("50.00"), D("17500.01")),  # 17 500.005: half-up, not to even
        (D("0.05"), D("50.00"), D("0.03")),  # 0.025
        (D("0.01"), D("50.00"), D("0.01")),  # 0.005
        (D("0.01"), D("49.99"), D("0.00")),  # 0.004999
        (D("150000.00"), D("100.00"), D("150000.00")),
        (D("150000.00"), D("0.00"), D("0.00")),
        (D("10000.00"), D("33.33"), D("3333.00")),
        (D("99999.99"), D("66.67"), D("66669.99")),  # 66 669.993 333
    ],
)
def test_the_advance_is_the_percentage_of_the_award_rounded_half_up(awarded, percentage, advance):
    assert advance_amount(awarded, percentage) == advance


def test_the_advance_has_exactly_two_decimal_places():
    assert advance_amount(D("1000"), D("70")).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("awarded", "accepted", "cost"),
    [
        (D("35000.00"), D("41000.00"), D("35000.00")),
        (D("35000.00"), D("35000.00"), D("35000.00")),
        (D("35000.00"), D("34999.99"), D("34999.99")),
        (D("35000.00"), D("0.00"), D("0.00")),
        (D("35000.00"), D("0"), D("0.00")),
    ],
)
def test_the_final_cost_is_the_lesser_of_award_and_accepted_expenses(awarded, accepted, cost):
    assert final_cost(awarded, accepted) == cost


@pytest.mark.parametrize(
    ("awarded", "accepted", "paid", "balance"),
    [
        # expenses above the award: the award minus what was paid
        (D("35000.00"), D("41000.00"), D("24500.00"), D("10500.00")),
        # expenses below the award: the expenses minus what was paid
        (D("35000.00"), D("30000.00"), D("24500.00"), D("5500.00")),
        # expenses below what was paid: negative, to recover
        (D("35000.00"), D("20000.00"), D("24500.00"), D("-4500.00")),
        # equal: nothing to pay nor recover
        (D("35000.00"), D("24500.00"), D("24500.00"), D("0.00")),
        # nothing paid yet: the whole final cost
        (D("35000.00"), D("30000.00"), D("0.00"), D("30000.00")),
        # nothing accepted: everything paid is recovered
        (D("35000.00"), D("0.00"), D("24500.00"), D("-24500.00")),
        # one cent either side
        (D("35000.00"), D("24500.01"), D("24500.00"), D("0.01")),
        (D("35000.00"), D("24499.99"), D("24500.00"), D("-0.01")),
        # paid more than the award (a balance paid twice): recovered even with expenses above it
        (D("35000.00"), D("50000.00"), D("36000.00"), D("-1000.00")),
    ],
)
def test_the_settlement_is_the_final_cost_minus_what_was_paid(awarded, accepted, paid, balance):
    assert settlement(awarded, accepted, paid) == balance


@pytest.mark.parametrize("paid", [D("0.00"), D("12345.67"), D("35000.00")])
@pytest.mark.parametrize("accepted", [D("0.00"), D("17500.50"), D("35000.00"), D("70000.00")])
def test_what_was_paid_plus_the_settlement_is_always_the_final_cost(accepted, paid):
    awarded = D("35000.00")

    assert paid + settlement(awarded, accepted, paid) == final_cost(awarded, accepted)


def test_the_computations_refuse_floats():
    with pytest.raises(TypeError):
        advance_amount(35000.0, D("70"))
