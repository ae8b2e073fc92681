"""Validation of Belgian identifiers through well-kept libraries (python-stdnum, schwifty)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.be import vat as enterprise_number_checker
from stdnum.exceptions import ValidationError as StdnumError


def normalise_enterprise_number(value: str) -> str:
    """'BE 0403.170.701' -> '0403170701' (the 10-digit BCE/KBO form stored in the database)."""
    return enterprise_number_checker.compact(value or "")


def validate_enterprise_number(value: str) -> None:
    try:
        enterprise_number_checker.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Enter a valid enterprise number (BCE/KBO): 10 digits such as 0403.170.701."),
            code="invalid_enterprise_number",
        ) from None


def normalise_iban(value: str) -> str:
    return (value or "").replace(" ", "").upper()


def validate_iban(value: str) -> None:
    try:
        IBAN(value)
    except SchwiftyException:
        raise ValidationError(
            _("Enter a valid IBAN, such as BE68 5390 0754 7034."), code="invalid_iban"
        ) from None


def validate_bic(value: str) -> None:
    try:
        BIC(value)
    except SchwiftyException:
        raise ValidationError(_("Enter a valid BIC, such as GEBABEBB."), code="invalid_bic") from None
