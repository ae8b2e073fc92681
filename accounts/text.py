"""Input hygiene, once for every form and serializer (web, API, admin, allauth).

- Text is stored NFC-normalised ("é" typed as e + combining accent and "é" typed at once are the
  same name), and stripped of invisible characters at both ends.
- A required text field refuses a value made only of invisible characters (zero-width spaces and
  joiners, word joiner, byte-order mark, other format characters, fillers, whitespace).
- Numbers accept the ASCII digits 0–9 only: Python's `int()` and `Decimal()` also read Arabic-Indic,
  Devanagari or full-width digits, which no one can check by eye and no export expects.

`install()` runs once at start-up (`AccountsConfig.ready`). It wraps the conversion of Django's
`forms.CharField` (only fields with `strip=True`: password fields use `strip=False` and keep every
character), `forms.IntegerField` / `FloatField` / `DecimalField`, and of Django REST framework's
`CharField` (when `trim_whitespace`), `IntegerField` / `FloatField` / `DecimalField`; and it connects
a `pre_save` receiver that NFC-normalises the Char/Text fields of this project's models.
"""

import unicodedata
from functools import wraps
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

INVISIBLE_ONLY = "invisible_only"
NON_ASCII_DIGITS = "non_ascii_digits"

INVISIBLE_ONLY_MESSAGE = _("Enter visible text: this value is made only of spaces or invisible characters.")
NON_ASCII_DIGITS_MESSAGE = _("Write the number with the digits 0 to 9.")

# Blank-looking characters that Unicode does not class as format (Cf) or separators (Z*).
_INVISIBLE_LETTERS = frozenset(
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160"  # Hangul choseong / jungseong fillers
    "\u2800"  # braille pattern blank
    "\u3164"  # Hangul filler
    "\uffa0"  # half-width Hangul filler
)


def is_invisible(character: str) -> bool:
    category = unicodedata.category(character)
    return (
        category == "Cf"  # U+200B–U+200D, U+2060, U+FEFF, U+00AD, bidi marks…
        or category.startswith("Z")  # spaces, line and paragraph separators
        or character.isspace()  # tab, new line… (Cc)
        or character in _INVISIBLE_LETTERS
    )


def is_blank(value: str) -> bool:
    """True for "", whitespace, and strings made only of invisible characters."""
    return all(is_invisible(character) for character in value)


def strip_invisible(value: str) -> str:
    start, end = 0, len(value)
    while start < end and is_invisible(value[start]):
        start += 1
    while end > start and is_invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def clean_text(value: str) -> str:
    """NFC-normalised, without invisible characters at either end ("" when nothing visible is left)."""
    return strip_invisible(unicodedata.normalize("NFC", value))


def has_non_ascii_digits(value) -> bool:
    """Any number character other than 0–9 (Arabic-Indic ١٢٣, full-width １２３, superscripts…)."""
    return isinstance(value, str) and any(
        not character.isascii() and unicodedata.category(character).startswith("N") for character in value
    )


# -- Django forms ---------------------------------------------------------------------------------


def _wrap_form_char_field(to_python):
    @wraps(to_python)
    def wrapped(self, value):
        if self.strip and isinstance(value, str):
            cleaned = clean_text(value)
            # Only whitespace is Django's own "required" case; invisible characters get their message.
            if not cleaned and value.strip() and self.required:
                raise ValidationError(INVISIBLE_ONLY_MESSAGE, code=INVISIBLE_ONLY)
            value = cleaned
        return to_python(self, value)

    return wrapped


def _wrap_form_number_field(to_python):
    @wraps(to_python)
    def wrapped(self, value):
        if has_non_ascii_digits(value):
            raise ValidationError(NON_ASCII_DIGITS_MESSAGE, code=NON_ASCII_DIGITS)
        return to_python(self, value)

    return wrapped


# -- Django REST framework ------------------------------------------------------------------------


def _wrap_api_char_validation(run_validation):
    from rest_framework.exceptions import ValidationError as ApiValidationError
    from rest_framework.fields import empty

    @wraps(run_validation)
    def wrapped(self, data=empty):
        # Only whitespace is DRF's own "blank" case; invisible characters get their message.
        if self.trim_whitespace and isinstance(data, str) and data.strip() and not clean_text(data):
            if not self.allow_blank:
                raise ApiValidationError(INVISIBLE_ONLY_MESSAGE, code=INVISIBLE_ONLY)
            return ""
        return run_validation(self, data)

    return wrapped


def _wrap_api_char_conversion(to_internal_value):
    @wraps(to_internal_value)
    def wrapped(self, data):
        value = to_internal_value(self, data)
        return clean_text(value) if self.trim_whitespace and isinstance(value, str) else value

    return wrapped


def _wrap_api_number_conversion(to_internal_value):
    from rest_framework.exceptions import ValidationError as ApiValidationError

    @wraps(to_internal_value)
    def wrapped(self, data):
        if has_non_ascii_digits(data):
            raise ApiValidationError(NON_ASCII_DIGITS_MESSAGE, code=NON_ASCII_DIGITS)
        return to_internal_value(self, data)

    return wrapped


# -- models -----------------------------------------------------------------------------------------

_TEXT_FIELDS: dict[type, list[str]] = {}


def _is_project_app(app_config) -> bool:
    """An app of this project (accounts, core, the schemes, test apps), not Django's or a library's."""
    app_path = getattr(app_config, "path", None)
    if app_path is None:  # the historical models of migrations
        return False
    path = Path(app_path).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and "site-packages" not in path.parts


def _text_fields(model: type[models.Model]) -> list[str]:
    if model not in _TEXT_FIELDS:
        project = _is_project_app(model._meta.app_config)
        _TEXT_FIELDS[model] = [
            field.attname
            for field in model._meta.concrete_fields
            if project and isinstance(field, models.CharField | models.TextField)
        ]
    return _TEXT_FIELDS[model]


def normalise_text_fields(sender, instance, raw=False, **kwargs) -> None:
    """NFC for every Char/Text field of the project's models, whoever saves them (services, admin,
    fixtures excepted: `raw` saves are stored as given)."""
    if raw:
        return
    for attname in _text_fields(sender):
        value = instance.__dict__.get(attname)
        if isinstance(value, str):
            normalised = unicodedata.normalize("NFC", value)
            if normalised != value:  # ASCII never changes: a protected state field is left alone
                setattr(instance, attname, normalised)


# -- installation -----------------------------------------------------------------------------------

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from rest_framework import fields as api_fields

    forms.CharField.to_python = _wrap_form_char_field(forms.CharField.to_python)
    for field in (forms.IntegerField, forms.FloatField, forms.DecimalField):
        # Each defines its own conversion (none calls another's): wrap each one.
        field.to_python = _wrap_form_number_field(field.__dict__["to_python"])
    api_fields.CharField.run_validation = _wrap_api_char_validation(api_fields.CharField.run_validation)
    api_fields.CharField.to_internal_value = _wrap_api_char_conversion(api_fields.CharField.to_internal_value)
    for field in (api_fields.IntegerField, api_fields.FloatField, api_fields.DecimalField):
        field.to_internal_value = _wrap_api_number_conversion(field.__dict__["to_internal_value"])
    pre_save.connect(normalise_text_fields, dispatch_uid="accounts.text.normalise_text_fields")
    _installed = True
