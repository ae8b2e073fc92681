"""Belgian identifiers: enterprise number (BCE/KBO, mod 97), IBAN and BIC."""

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    normalise_enterprise_number,
    normalise_iban,
    validate_bic,
    validate_enterprise_number,
    validate_iban,
)


@pytest.mark.parametrize("written", ["BE 0403.170.701", "BE0403170701", "0403.170.701", "0403 170 701"])
def test_an_enterprise_number_is_normalised_to_ten_digits(written):
    assert normalise_enterprise_number(written) == "0403170701"


@pytest.mark.parametrize("number", ["0403170701", "BE 0403.170.701", "0403.170.701"])
def test_a_valid_enterprise_number_is_accepted_however_it_is_written(number):
    validate_enterprise_number(number)


def test_an_enterprise_number_with_a_wrong_mod_97_check_is_refused():
    with pytest.raises(ValidationError) as refusal:
        validate_enterprise_number("0403170702")

    assert refusal.value.code == "invalid_enterprise_number"


@pytest.mark.parametrize("number", ["", "12345", "04031707011", "040317070A"])
def test_an_enterprise_number_of_the_wrong_shape_is_refused(number):
    with pytest.raises(ValidationError):
        validate_enterprise_number(number)


@pytest.mark.parametrize("iban", ["BE68 5390 0754 7034", "BE68539007547034", "NL91ABNA0417164300"])
def test_a_valid_iban_is_accepted(iban):
    validate_iban(iban)


@pytest.mark.parametrize("iban", ["BE68 5390 0754 7035", "BE68 5390", "not an iban"])
def test_an_invalid_iban_is_refused(iban):
    with pytest.raises(ValidationError) as refusal:
        validate_iban(iban)

    assert refusal.value.code == "invalid_iban"


def test_an_iban_is_normalised_without_spaces_in_capitals():
    assert normalise_iban("be68 5390 0754 7034") == "BE68539007547034"


@pytest.mark.parametrize("bic", ["GKCCBEBB", "GKCCBEBBXXX"])
def test_a_valid_bic_is_accepted(bic):
    validate_bic(bic)


@pytest.mark.parametrize("bic", ["GKCCBEB", "GKCCZZBB", ""])
def test_an_invalid_bic_is_refused(bic):
    with pytest.raises(ValidationError) as refusal:
        validate_bic(bic)

    assert refusal.value.code == "invalid_bic"
