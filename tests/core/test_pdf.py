"""The shared letterhead: text in the recipient's language, amounts per locale, an embedded font."""

import io
from decimal import Decimal

import pypdf
import pytest
from django.utils import formats, timezone, translation
from reportlab import rl_config

from core.money import format_money
from core.pdf import Signature, letter_pdf, submission_receipt_pdf
from core.workflow import perform_transition
from tests.factories import (
    OrganisationFactory,
    RecognitionFactory,
    SampleFileFactory,
    administration,
    applicant,
)

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """All the text of the PDF, whitespace (no-break spaces and line breaks included) collapsed."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def same_spacing(text: str) -> str:
    return " ".join(text.split())


def fonts_of(data: bytes) -> list[dict]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


def a_letter(language="fr", organisation=None, **overrides) -> bytes:
    arguments = {
        "administration": administration("cocof"),
        "organisation": organisation or OrganisationFactory(name_fr="Maison des Solidarités"),
        "language": language,
        "title": "Décision d'octroi",
        "reference": "MUT-2026-00042",
        "paragraphs": ["La subvention est accordée."],
        "table": [("Montant accordé", Decimal("12500.00"))],
    }
    arguments.update(overrides)
    return letter_pdf(**arguments)


def submitted_file(organisation=None):
    """A sample file submitted by an eligible organisation (a new one unless given)."""
    organisation = RecognitionFactory(**({"organisation": organisation} if organisation else {})).organisation
    file = SampleFileFactory(organisation=organisation)
    perform_transition(file=file, name="submit", acting_user=applicant(file.organisation), data={})
    file.refresh_from_db()
    return file


def test_a_letter_is_a_pdf():
    assert a_letter().startswith(b"%PDF-")


def test_a_letter_shows_its_reference_and_the_organisation_name():
    text = pdf_text(a_letter())

    assert "MUT-2026-00042" in text
    assert "Maison des Solidarités" in text


def test_a_letter_shows_the_organisation_address_and_enterprise_number():
    organisation = OrganisationFactory(street="Rue de l'Été 12", postal_code="1050", city="Ixelles")

    text = pdf_text(a_letter(organisation=organisation))

    number = organisation.enterprise_number
    assert "Rue de l'Été 12" in text
    assert "1050 Ixelles" in text
    assert f"{number[:4]}.{number[4:7]}.{number[7:]}" in text


def test_a_french_letter_formats_amounts_the_french_way():
    text = pdf_text(a_letter("fr"))

    assert same_spacing(format_money(Decimal("12500.00"), "fr")) == "12 500,00 €"
    assert "12 500,00 €" in text


def test_a_dutch_letter_formats_amounts_the_dutch_way():
    text = pdf_text(a_letter("nl"))

    assert same_spacing(format_money(Decimal("12500.00"), "nl")) == "€ 12.500,00"
    assert "€ 12.500,00" in text


def test_accented_french_text_is_printed_as_written():
    text = pdf_text(a_letter("fr"))

    assert "Commission communautaire française (Cocof)" in text
    assert "Décision d'octroi" in text


def test_dutch_diaeresis_is_printed_as_written():
    organisation = OrganisationFactory(name_nl="Vereniging België", preferred_language="nl")

    text = pdf_text(a_letter("nl", organisation=organisation, paragraphs=["Coördinatie en reëel beheer."]))

    assert "Vereniging België" in text
    assert "Coördinatie en reëel beheer." in text


def test_the_letterhead_names_the_administration_in_the_letters_language():
    text = pdf_text(a_letter("nl"))

    assert "Franse Gemeenschapscommissie (Cocof)" in text
    assert "Commission communautaire française" not in text


def test_the_letter_is_dated_in_the_locale_of_its_language():
    day = timezone.localdate().replace(month=3, day=5)

    text = pdf_text(a_letter("nl", date=day))

    with translation.override("nl"):
        assert formats.date_format(day, "DATE_FORMAT") in text
    assert "maart" in text


def test_the_font_is_embedded():
    fonts = fonts_of(a_letter())

    assert fonts
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts)


def test_helvetica_is_never_used():
    fonts = fonts_of(a_letter())

    assert not [font for font in fonts if "Helvetica" in str(font["/BaseFont"])]


def test_every_page_says_which_page_it_is_of_how_many():
    long_letter = a_letter("en", paragraphs=["A rather long paragraph of the decision. " * 40] * 6)

    reader = pypdf.PdfReader(io.BytesIO(long_letter))
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {pages}" in page.extract_text()


def test_the_letterhead_is_on_every_page():
    long_letter = a_letter("fr", paragraphs=["Un long paragraphe de la décision. " * 40] * 6)

    reader = pypdf.PdfReader(io.BytesIO(long_letter))
    assert all("Commission communautaire française (Cocof)" in page.extract_text() for page in reader.pages)


def test_the_signature_block_names_the_signatory_and_function():
    text = pdf_text(a_letter(signature=Signature("Hélène Dupré", "Directrice générale")))

    assert "Hélène Dupré" in text
    assert "Directrice générale" in text


def test_characters_the_font_lacks_are_replaced_by_their_equivalent():
    text = pdf_text(a_letter("nl", paragraphs=["De ĳverige vereniging"]))

    assert "De ijverige vereniging" in text


def test_markup_characters_in_names_are_printed_literally():
    organisation = OrganisationFactory(name_fr="Lire & Écrire <Bruxelles>")

    text = pdf_text(a_letter(organisation=organisation))

    assert "Lire & Écrire <Bruxelles>" in text


def test_dates_and_missing_values_in_the_table_are_formatted_for_the_locale():
    day = timezone.localdate().replace(month=3, day=5)

    text = pdf_text(a_letter("fr", table=[("Échéance", day), ("Remarque", None)]))

    assert "Échéance 5 mars" in text
    assert "Remarque —" in text


def test_invariant_mode_gives_byte_identical_pdfs(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)
    organisation = OrganisationFactory()

    assert a_letter(organisation=organisation) == a_letter(organisation=organisation)


def test_the_submission_receipt_shows_reference_organisation_and_administration():
    file = submitted_file()

    text = pdf_text(
        submission_receipt_pdf(file=file, organisation=file.organisation, scheme_label="Subvention")
    )

    assert file.reference in text
    assert file.organisation.name_fr in text
    assert "Commission communautaire française (Cocof)" in text


def test_the_submission_receipt_shows_the_submission_date_in_the_locale():
    file = submitted_file()

    text = pdf_text(
        submission_receipt_pdf(file=file, organisation=file.organisation, scheme_label="Subvention")
    )

    with translation.override("fr"):
        submitted = formats.date_format(timezone.localtime(file.submitted_at), "DATETIME_FORMAT")
    assert same_spacing(submitted) in text


def test_the_submission_receipt_acknowledges_receipt():
    file = submitted_file()

    text = pdf_text(
        submission_receipt_pdf(
            file=file, organisation=file.organisation, scheme_label="Mutualisation", language="en"
        )
    )

    assert "acknowledges receipt of the application" in text
    assert "for Mutualisation" in text


def test_the_submission_receipt_is_in_the_organisations_preferred_language_by_default():
    organisation = OrganisationFactory(name_nl="Vereniging Brugge", preferred_language="nl")
    file = submitted_file(organisation)

    text = pdf_text(submission_receipt_pdf(file=file, organisation=organisation, scheme_label="Subsidie"))

    assert "Vereniging Brugge" in text
    assert "Franse Gemeenschapscommissie (Cocof)" in text


def test_a_receipt_for_a_file_not_yet_submitted_is_refused():
    file = SampleFileFactory()

    with pytest.raises(ValueError):
        submission_receipt_pdf(file=file, organisation=file.organisation, scheme_label="Subvention")


def test_a_letter_is_rendered_once_for_the_same_inputs_and_again_when_one_changes(db):
    from core.pdf import cached_letter

    rendered = []

    def render(text):
        rendered.append(text)
        return text.encode()

    first = cached_letter(lambda: render("v1"), "certificate", 7, "fr")
    again = cached_letter(lambda: render("v1 again"), "certificate", 7, "fr")
    renamed = cached_letter(lambda: render("v2"), "certificate", 7, "nl")

    assert (first, again, renamed) == (b"v1", b"v1", b"v2")
    assert rendered == ["v1", "v2"]
