"""Money: Decimal EUR rounded half-up to the cent, never a float, displayed per locale."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.money import format_money, to_money


def test_half_a_cent_rounds_up():
    assert to_money(Decimal("0.005")) == Decimal("0.01")


def test_two_point_six_seven_five_rounds_up_to_two_point_six_eight():
    assert to_money("2.675") == Decimal("2.68")


def test_just_under_half_a_cent_rounds_down():
    assert to_money("2.67499") == Decimal("2.67")


def test_negative_halves_round_away_from_zero():
    assert to_money("-0.005") == Decimal("-0.01")


def test_integers_and_strings_become_two_place_decimals():
    assert str(to_money(12500)) == "12500.00"
    assert str(to_money("7.1")) == "7.10"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_money(2.675)


def test_floats_are_refused_when_formatting_too():
    with pytest.raises(TypeError):
        format_money(12500.0, "fr")


def test_french_puts_a_narrow_no_break_space_between_thousands_and_a_no_break_space_before_the_euro():
    assert format_money(Decimal("12500"), "fr") == "12\u202f500,00\u00a0€"


def test_dutch_puts_the_euro_first_and_dots_between_thousands():
    assert format_money(Decimal("12500"), "nl") == "€\u00a012.500,00"


def test_english_puts_the_euro_first_and_commas_between_thousands():
    assert format_money(Decimal("12500"), "en") == "€12,500.00"


def test_formatting_rounds_half_up_first():
    assert format_money("2.675", "en") == "€2.68"


def test_without_a_language_the_active_language_is_used():
    with translation.override("nl"):
        assert format_money(Decimal("1234.5")) == "€\u00a01.234,50"


def test_a_regional_language_code_uses_its_base_language():
    assert format_money(Decimal("1234.5"), "nl-be") == "€\u00a01.234,50"


def test_nothing_formats_as_an_empty_string():
    assert format_money(None, "fr") == ""
    assert format_money("", "fr") == ""


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False),
    language=st.sampled_from(["fr", "nl", "en"]),
)
def test_every_amount_is_formatted_exactly_as_babel_formats_it(amount, language):
    locale = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_IE"}[language]
    assert format_money(amount, language) == format_currency(amount, "EUR", locale=locale)


def test_negative_amounts_keep_each_locale_s_sign_position():
    assert format_money("-1234.5", "fr") == "-1\u202f234,50\u00a0€"
    assert format_money("-1234.5", "nl") == "€\u00a0-1.234,50"
    assert format_money("-1234.5", "en") == "-€1,234.50"
