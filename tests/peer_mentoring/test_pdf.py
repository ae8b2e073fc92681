"""The compensation statement of a validated declaration, in the mentor organisation's language,
read back from the PDF in French and in Dutch."""

import io

import pypdf
import pytest

from peer_mentoring.pdf import compensation_statement_pdf
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import RecognitionFactory

from .factories import Cast, agreement_in, declaration_in, mentor_organisation

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def validated_for_mentor_speaking(language: str):
    mentor = mentor_organisation(
        organisation__preferred_language=language, organisation__name_fr="Économat Solidaire"
    )
    mentee = RecognitionFactory(organisation__name_fr="Maison des Solidarités").organisation
    agreement, cast = agreement_in(AgreementState.ACTIVE, Cast(mentor=mentor, mentee=mentee), rate="62.50")
    return declaration_in(DeclarationState.VALIDATED, agreement, cast, hours=("2.25", "1.5"))


def test_the_statement_is_in_french_for_a_french_speaking_mentor():
    declaration = validated_for_mentor_speaking("fr")

    text = pdf_text(compensation_statement_pdf(declaration))

    assert "Relevé de compensation du mentorat" in text
    assert "a validé les 3,75 heures de mentorat entre pairs que Économat Solidaire a déclarées" in text
    assert "234,38 €" in text
    assert declaration.reference in text


def test_the_statement_is_in_dutch_for_a_dutch_speaking_mentor():
    declaration = validated_for_mentor_speaking("nl")

    text = pdf_text(compensation_statement_pdf(declaration))

    assert "Vergoedingsoverzicht mentoring" in text
    assert "heeft de 3,75 uren peermentoring gevalideerd" in text
    assert "€ 234,38" in text
    assert "Vergadering" in text  # the lines' activities, translated


def test_there_is_no_statement_before_validation(client_for):
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.CONFIRMED, agreement, cast)

    answer = client_for(cast.mentor).get(f"/api/v1/mentoring/declarations/{declaration.pk}/statement/")

    assert (answer.status_code, answer.json()["code"]) == (409, "no_compensation_statement_yet")


def test_the_api_serves_the_statement_as_pdf(client_for):
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.VALIDATED, agreement, cast)

    answer = client_for(cast.mentor).get(
        f"/api/v1/mentoring/declarations/{declaration.pk}/statement/", HTTP_ACCEPT="application/pdf"
    )

    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
