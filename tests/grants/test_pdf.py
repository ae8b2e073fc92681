"""The submission receipt and the award letter, in the lead organisation's language."""

import io
from decimal import Decimal

import pypdf
import pytest
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.money import format_money
from grants.pdf import award_letter_pdf, receipt_pdf
from grants.workflow import State
from tests.factories import RecognitionFactory
from tests.grants.factories import GrantApplicationFactory, advance_to

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "nl"]
TITLE = "Économat partagé – coördinatie"
NAMES = {"fr": "Maison des Solidarités", "nl": "Huis der Solidariteit"}


def pdf_text(data: bytes) -> str:
    """All the text of the PDF, whitespace (no-break spaces and line breaks included) collapsed."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return same_spacing(" ".join(page.extract_text() for page in reader.pages))


def same_spacing(text: str) -> str:
    return " ".join(text.split())


def application_of(language: str, state: str = State.SUBMITTED):
    lead = RecognitionFactory(
        organisation__preferred_language=language,
        organisation__name_fr=NAMES["fr"],
        organisation__name_nl=NAMES["nl"],
    ).organisation
    return advance_to(GrantApplicationFactory(lead_organisation=lead, title=TITLE), state)


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return _(message)


# -- the submission receipt ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_names_the_reference_organisation_and_initiative(language):
    application = application_of(language)

    text = pdf_text(receipt_pdf(application))

    assert application.reference in text
    assert NAMES[language] in text
    assert TITLE in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_is_written_in_the_organisations_language(language):
    text = pdf_text(receipt_pdf(application_of(language)))

    assert same_spacing(
        in_language(language, "Acknowledgement of receipt – mutualisation grant application")
    ) in same_spacing(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_shows_the_budget_and_the_request_formatted_for_the_locale(language):
    text = pdf_text(receipt_pdf(application_of(language)))

    assert same_spacing(format_money(Decimal("50000.00"), language)) in text
    assert same_spacing(format_money(Decimal("40000.00"), language)) in text


def test_a_draft_has_no_receipt():
    with pytest.raises(ValueError):
        receipt_pdf(GrantApplicationFactory())


# -- the award letter --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_award_letter_names_the_reference_organisation_and_initiative(language):
    application = application_of(language, State.APPROVED)

    text = pdf_text(award_letter_pdf(application))

    assert application.reference in text
    assert NAMES[language] in text
    assert TITLE in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_award_letter_is_written_in_the_organisations_language(language):
    text = pdf_text(award_letter_pdf(application_of(language, State.APPROVED)))

    assert same_spacing(in_language(language, "Decision to award a mutualisation grant")) in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_award_letter_shows_the_award_and_the_advance_formatted_for_the_locale(language):
    text = pdf_text(award_letter_pdf(application_of(language, State.APPROVED)))

    assert same_spacing(format_money(Decimal("35000.00"), language)) in text
    assert same_spacing(format_money(Decimal("24500.00"), language)) in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_award_letter_says_before_when_to_accept(language):
    application = application_of(language, State.APPROVED)

    text = pdf_text(award_letter_pdf(application))

    with translation.override(language):
        deadline = formats.date_format(application.acceptance_deadline, "DATE_FORMAT")
    assert same_spacing(deadline) in text


def test_an_application_not_yet_awarded_has_no_award_letter():
    with pytest.raises(ValueError):
        award_letter_pdf(application_of("fr", State.UNDER_REVIEW))
