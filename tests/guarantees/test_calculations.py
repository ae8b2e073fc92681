"""The pure money computations, with property-based tests (hypothesis)."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guarantees import calculations as calc

amounts = st.decimals(min_value=Decimal("1000"), max_value=Decimal("5000000"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("15"), places=2)
months = st.integers(min_value=1, max_value=120)
coverages = st.decimals(min_value=Decimal("1"), max_value=Decimal("100"), places=2)
profiles = st.sampled_from(["annuity", "linear", "bullet", "credit_line"])
START = date(2026, 1, 31)


@given(profiles, amounts, rates, months)
def test_every_schedule_repays_exactly_the_loan(profile, amount, rate, duration):
    lines = calc.schedule(profile, amount, rate, duration, START)

    assert sum(line.principal for line in lines) == amount
    assert len(lines) == duration
    assert lines[-1].outstanding_after == 0


@given(profiles, amounts, rates, months)
def test_no_instalment_repays_a_negative_principal_and_interest_is_never_negative(
    profile, amount, rate, duration
):
    lines = calc.schedule(profile, amount, rate, duration, START)

    assert all(line.principal >= 0 and line.interest >= 0 for line in lines)
    assert all(line.principal == line.principal.quantize(Decimal("0.01")) for line in lines)


@given(
    amounts,
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal("15"), places=2),
    st.integers(min_value=2, max_value=120),
)
def test_annuity_instalments_are_constant_except_the_last(amount, rate, duration):
    lines = calc.schedule("annuity", amount, rate, duration, START)

    totals = {line.total for line in lines[:-1]}
    assert len(totals) == 1
    # Each cent rounded off grows with the interest until the last instalment absorbs it.
    growth = (1 + rate / 1200) ** duration
    assert abs(lines[-1].total - lines[0].total) <= Decimal("0.01") * duration * growth


@given(amounts, rates, st.integers(min_value=2, max_value=120))
def test_linear_principal_is_constant_and_the_rounding_goes_to_the_last(amount, rate, duration):
    lines = calc.schedule("linear", amount, rate, duration, START)

    assert len({line.principal for line in lines[:-1]}) == 1
    assert lines[-1].principal >= lines[0].principal


@given(amounts, rates, months)
def test_bullet_repays_all_the_principal_at_maturity(amount, rate, duration):
    lines = calc.schedule("bullet", amount, rate, duration, START)

    assert [line.principal for line in lines[:-1]] == [Decimal("0.00")] * (duration - 1)
    assert lines[-1].principal == amount


def test_instalments_fall_on_the_last_day_of_shorter_months():
    lines = calc.schedule("linear", Decimal("1200"), Decimal("0"), 2, START)

    assert [line.due_date for line in lines] == [date(2026, 2, 28), date(2026, 3, 31)]


def test_an_annuity_of_100000_at_4_percent_over_60_months_pays_the_textbook_instalment():
    assert calc.annuity_payment(Decimal("100000"), Decimal("4"), 60) == Decimal("1841.65")


@given(profiles, amounts, rates, months, st.integers(min_value=0, max_value=130))
def test_outstanding_principal_follows_the_schedule_without_declarations(
    profile, amount, rate, duration, after
):
    lines = calc.schedule(profile, amount, rate, duration, START)
    on = calc.add_months(START, after)

    outstanding = calc.outstanding_principal(amount, lines, [], on)

    assert outstanding == amount - sum(line.principal for line in lines if line.due_date <= on)
    assert 0 <= outstanding <= amount


@given(amounts, months, st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2))
def test_a_declaration_overrides_the_schedule_from_its_date_on(amount, duration, declared):
    lines = calc.schedule("linear", amount, Decimal("3"), duration, START)
    declared_on = calc.add_months(START, 1)

    before = calc.outstanding_principal(amount, lines, [(declared_on, declared)], START)
    after = calc.outstanding_principal(amount, lines, [(declared_on, declared)], calc.add_months(START, 2))

    assert before == amount
    assert after == declared


def test_the_latest_declaration_wins():
    lines = calc.schedule("bullet", Decimal("50000"), Decimal("3"), 12, START)
    declarations = [(date(2026, 3, 31), Decimal("40000")), (date(2026, 6, 30), Decimal("30000"))]

    assert calc.outstanding_principal(Decimal("50000"), lines, declarations, date(2026, 7, 15)) == Decimal(
        "30000.00"
    )


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("5000000"), places=2), coverages)
def test_the_guaranteed_part_never_exceeds_the_outstanding_principal(outstanding, coverage):
    assert 0 <= calc.guaranteed_part(outstanding, coverage) <= outstanding


@given(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("5000000"), places=2),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("5"), places=2),
)
def test_four_quarterly_fees_make_the_annual_fee_within_rounding(guaranteed, rate):
    annual = calc.period_fee(guaranteed, rate, 12)
    quarters = calc.period_fee(guaranteed, rate, 3) * 4

    assert abs(annual - quarters) <= Decimal("0.02")


def test_a_quarterly_fee_of_1_percent_on_75000_is_187_50():
    assert calc.period_fee(Decimal("75000"), Decimal("1"), 3) == Decimal("187.50")


@given(st.integers(min_value=1, max_value=120), st.sampled_from([3, 12, None]))
def test_fee_periods_cover_the_guarantee_without_gaps(duration, period):
    periods = calc.fee_periods(START, duration, period)

    assert periods[0][0] == START
    assert periods[-1][1] == calc.add_months(START, duration)
    assert all(previous[1] == following[0] for previous, following in zip(periods, periods[1:], strict=False))


@given(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2),
    coverages,
    rates,
    st.integers(min_value=0, max_value=400),
)
def test_the_claim_is_the_coverage_of_principal_plus_interest_within_the_rule(
    outstanding, coverage, rate, days
):
    claim = calc.claim_amount(
        coverage=coverage,
        outstanding_at_default=outstanding,
        annual_rate=rate,
        arrears_days=days,
        covered_interest_days=90,
    )

    principal_only = calc.guaranteed_part(outstanding, coverage)
    with_all_interest = calc.guaranteed_part(
        outstanding + calc.covered_interest(outstanding, rate, 90, 90), coverage
    )
    assert principal_only <= claim <= with_all_interest


def test_a_claim_on_80000_at_75_percent_with_120_days_covers_90_days_of_interest():
    claim = calc.claim_amount(
        coverage=Decimal("75"),
        outstanding_at_default=Decimal("80000"),
        annual_rate=Decimal("4"),
        arrears_days=120,
        covered_interest_days=90,
    )

    # interest: 80 000 × 4 % × 90 / 365 = 789.04; claim: 75 % of 80 789.04
    assert claim == Decimal("60591.78")


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2), coverages)
def test_the_fund_and_the_lender_share_each_recovery_without_losing_a_cent(recovered, coverage):
    share = calc.recovery_share(recovered, coverage)

    assert 0 <= share <= recovered
    assert share == (recovered * coverage / 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@given(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2),
    months,
    st.decimals(min_value=Decimal("0"), max_value=Decimal("7"), places=2),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("7"), places=2),
)
def test_the_aid_equivalent_is_never_negative_and_grows_with_the_premium_gap(
    guaranteed, duration, premium, fee
):
    aid = calc.aid_equivalent(guaranteed=guaranteed, months=duration, market_premium=premium, fee_rate=fee)

    assert aid >= 0
    if premium <= fee:
        assert aid == 0


def test_the_aid_equivalent_of_75000_over_5_years_at_a_2_percent_premium_and_1_percent_fee():
    assert calc.aid_equivalent(
        guaranteed=Decimal("75000"), months=60, market_premium=Decimal("2"), fee_rate=Decimal("1")
    ) == Decimal("3750.00")


def test_capacity_is_the_endowment_times_the_multiplier():
    assert calc.capacity(Decimal("5000000"), Decimal("4")) == Decimal("20000000.00")


def test_expected_calls_weigh_each_rating_by_its_default_rate():
    expected = calc.expected_calls(
        {"A": Decimal("1000000"), "E": Decimal("100000")}, {"A": Decimal("1"), "E": Decimal("30")}
    )

    assert expected == Decimal("40000.00")
