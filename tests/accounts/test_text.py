"""Input hygiene installed at start-up (accounts/text.py): invisible-only text refused, text stored
NFC-normalised, numbers in ASCII digits only — for Django forms, DRF serializers and every save."""

import unicodedata
from decimal import Decimal

import pytest
from django import forms
from rest_framework import serializers

from accounts.models import Organisation
from accounts.text import clean_text, has_non_ascii_digits, is_blank
from tests.factories import OrganisationFactory

DECOMPOSED = "e\u0301te\u0301"  # "été" typed as e + combining acute accent
COMPOSED = "été"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", " \u200b\t", "\u3164"]
FOREIGN_DIGITS = ["١٢٣", "１２３", "१२३", "12١", "²"]


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)
    secret = forms.CharField(strip=False)
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False, max_digits=10, decimal_places=2)
    ratio = forms.FloatField(required=False)


class NameSerializer(serializers.Serializer):
    name = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True)
    secret = serializers.CharField(trim_whitespace=False)
    count = serializers.IntegerField(required=False)
    amount = serializers.DecimalField(required=False, max_digits=10, decimal_places=2)
    ratio = serializers.FloatField(required=False)


def form_errors(**data) -> dict:
    form = NameForm({"name": "Maison", "secret": "s", **data})
    form.is_valid()
    return form.errors.get_json_data()


def serializer_errors(**data) -> dict:
    serializer = NameSerializer(data={"name": "Maison", "secret": "s", **data})
    serializer.is_valid()
    return {field: [error.code for error in errors] for field, errors in serializer.errors.items()}


# -- the helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", INVISIBLE)
def test_a_string_of_invisible_characters_is_blank(value):
    assert is_blank(value)


def test_a_string_with_one_visible_letter_is_not_blank():
    assert not is_blank("\u200ba\u200b")


def test_clean_text_composes_and_trims_invisible_characters_at_both_ends():
    assert clean_text(f"\ufeff {DECOMPOSED}\u200b ") == COMPOSED


def test_clean_text_keeps_a_joiner_inside_a_word():
    assert clean_text("a\u200db") == "a\u200db"


@pytest.mark.parametrize("value", FOREIGN_DIGITS)
def test_digits_other_than_ascii_are_detected(value):
    assert has_non_ascii_digits(value)


def test_ascii_numbers_are_not_flagged():
    assert not has_non_ascii_digits("-1 234,50")


# -- Django forms --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["\u200b", "\u2060\ufeff", "\u200c \u200d"])
def test_a_required_form_field_refuses_invisible_characters_with_its_own_message(value):
    assert form_errors(name=value)["name"][0]["code"] == "invisible_only"


def test_a_required_form_field_of_spaces_keeps_djangos_required_message():
    assert form_errors(name="   ")["name"][0]["code"] == "required"


def test_an_optional_form_field_of_invisible_characters_is_stored_empty():
    form = NameForm({"name": "Maison", "secret": "s", "note": "\u200b\u200b"})

    assert form.is_valid() and form.cleaned_data["note"] == ""


def test_form_text_is_nfc_normalised():
    form = NameForm({"name": DECOMPOSED, "secret": "s"})

    assert form.is_valid() and form.cleaned_data["name"] == COMPOSED


def test_a_field_without_strip_keeps_every_character():
    secret = f" \u200b{DECOMPOSED} "
    form = NameForm({"name": "Maison", "secret": secret})

    assert form.is_valid() and form.cleaned_data["secret"] == secret


@pytest.mark.parametrize("field", ["count", "amount", "ratio"])
@pytest.mark.parametrize("value", FOREIGN_DIGITS)
def test_form_numbers_refuse_digits_other_than_ascii(field, value):
    assert form_errors(**{field: value})[field][0]["code"] == "non_ascii_digits"


def test_form_numbers_in_ascii_digits_are_accepted():
    form = NameForm({"name": "Maison", "secret": "s", "count": "123", "amount": "12.50", "ratio": "0.5"})

    assert form.is_valid() and (form.cleaned_data["count"], form.cleaned_data["amount"]) == (
        123,
        Decimal("12.50"),
    )


# -- DRF serializers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["\u200b", "\u2060\ufeff", "\u200c \u200d"])
def test_a_required_serializer_field_refuses_invisible_characters(value):
    assert serializer_errors(name=value) == {"name": ["invisible_only"]}


def test_a_serializer_field_of_spaces_keeps_drfs_blank_message():
    assert serializer_errors(name="  ") == {"name": ["blank"]}


def test_a_serializer_field_allowing_blank_stores_invisible_characters_as_empty():
    serializer = NameSerializer(data={"name": "Maison", "secret": "s", "note": "\u200b"})

    assert serializer.is_valid() and serializer.validated_data["note"] == ""


def test_serializer_text_is_nfc_normalised():
    serializer = NameSerializer(data={"name": f"\u200b{DECOMPOSED}", "secret": "s"})

    assert serializer.is_valid() and serializer.validated_data["name"] == COMPOSED


def test_a_serializer_field_without_trimming_keeps_every_character():
    secret = f" \u200b{DECOMPOSED} "
    serializer = NameSerializer(data={"name": "Maison", "secret": secret})

    assert serializer.is_valid() and serializer.validated_data["secret"] == secret


@pytest.mark.parametrize("field", ["count", "amount", "ratio"])
@pytest.mark.parametrize("value", FOREIGN_DIGITS)
def test_serializer_numbers_refuse_digits_other_than_ascii(field, value):
    assert serializer_errors(**{field: value}) == {field: ["non_ascii_digits"]}


def test_serializer_numbers_sent_as_json_numbers_are_accepted():
    serializer = NameSerializer(data={"name": "Maison", "secret": "s", "count": 123, "amount": 12.5})

    assert serializer.is_valid() and serializer.validated_data["amount"] == Decimal("12.50")


# -- every save ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_text_saved_on_a_model_of_the_project_is_nfc_normalised():
    organisation = OrganisationFactory(name_fr=f"Maison de l'{DECOMPOSED}")

    stored = Organisation.objects.get(pk=organisation.pk).name_fr
    assert stored == f"Maison de l'{COMPOSED}"
    assert unicodedata.is_normalized("NFC", stored)


@pytest.mark.django_db
def test_a_library_model_is_saved_as_given():
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    address = EmailAddress.objects.create(user=UserFactory(), email=f"{DECOMPOSED}@example.org")

    assert EmailAddress.objects.get(pk=address.pk).email == f"{DECOMPOSED}@example.org"
