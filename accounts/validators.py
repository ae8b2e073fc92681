"""Validation of Belgian identifiers through well-kept libraries (python-stdnum, schwifty), and the
content check of every uploaded document (by what its bytes are, not by its name: filetype)."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
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


# Media types accepted, by what the file's bytes say it is.
ALLOWED_MEDIA_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}

# The same strings as core.error_codes.ErrorCode (a StrEnum), which accounts does not import.
DOCUMENT_TOO_LARGE = "document_too_large"
DOCUMENT_TYPE_NOT_ALLOWED = "document_type_not_allowed"


def detect_media_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload) -> str:
    """Refuse files that are too large or whose content is not an accepted format; return the media type."""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code=DOCUMENT_TOO_LARGE,
        )
    media_type = detect_media_type(upload)
    if media_type not in ALLOWED_MEDIA_TYPES:
        raise ValidationError(
            _("This file's content is not an accepted format. Accepted: %(formats)s.")
            % {"formats": ", ".join(ALLOWED_MEDIA_TYPES.values())},
            code=DOCUMENT_TYPE_NOT_ALLOWED,
        )
    return media_type
