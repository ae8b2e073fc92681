"""Letters may carry annexes: a table on pages of its own, its headings repeated on each page."""

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.pdf import Annex, letter_pdf
from tests.factories import OrganisationFactory, administration

pytestmark = pytest.mark.django_db


def test_an_annex_follows_the_letter_on_its_own_pages_with_amounts_and_dates_per_locale():
    rows = [[number, date(2026, 1, 1), Decimal("1250.50")] for number in range(1, 121)]
    content = letter_pdf(
        administration=administration("cocof"),
        organisation=OrganisationFactory(),
        language="fr",
        title="Lettre",
        reference="GAR-2026-00001",
        paragraphs=["Corps de la lettre."],
        annexes=[Annex(title="Annexe : échéancier", headings=["N°", "Date", "Montant"], rows=rows)],
    )

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    assert "Annexe : échéancier" not in pages[0]
    assert "Annexe : échéancier" in pages[1]
    assert "1 250,50" in pages[1]
    assert len(pages) > 2 and "Montant" in pages[2]  # the headings repeat
