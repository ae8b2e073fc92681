"""The shared export machinery: columns read from values_list, labels once, CSV streamed."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import LegalForm, Organisation
from core.exports import Kind, choice, csv_chunks, csv_response, field, rows, to_records, to_xlsx, translated
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

COLUMNS = [
    translated("name", "Name", "name_fr", "name_nl", fallback=True),
    choice("legal_form", "Legal form", "legal_form", LegalForm.choices),
    field("budget", "Budget", "annual_budget", kind=Kind.AMOUNT),
]


def organisations():
    return Organisation.objects.order_by("pk")


def test_rows_come_from_one_query_with_the_choice_labels_in_the_active_language():
    for number in range(5):
        OrganisationFactory(name_fr=f"ASBL {number}")

    with CaptureQueriesContext(connection) as captured, translation.override("en"):
        cells = list(rows(organisations(), COLUMNS))

    assert len(captured) == 1
    assert cells[0] == ["ASBL 0", "Non-profit association (ASBL / VZW)", Decimal("500000.00")]


def test_labels_follow_the_language_active_when_the_rows_are_prepared_not_when_they_are_read():
    OrganisationFactory(name_fr="Maison", name_nl="Huis")

    with translation.override("nl"):
        prepared = rows(organisations(), COLUMNS)
    with translation.override("fr"):
        (row,) = list(prepared)

    assert row[0] == "Huis"
    assert row[1] == "Vereniging zonder winstoogmerk (ASBL / VZW)"


def test_a_name_missing_in_dutch_falls_back_to_french_when_the_column_allows_it():
    OrganisationFactory(name_fr="Maison", name_nl="")

    with translation.override("nl"):
        (row,) = list(rows(organisations(), COLUMNS))

    assert row[0] == "Maison"


def test_the_csv_header_is_sent_before_any_row_is_read():
    read = []

    def lazy_rows():
        read.append("started")
        yield ["=SUM(A1)", "asbl", Decimal("-5.00")]

    chunks = csv_chunks(COLUMNS, lazy_rows())

    assert next(chunks) == "\ufeffName,Legal form,Budget\r\n".encode()
    assert read == []


def test_the_csv_neutralises_formulas_in_text_but_leaves_negative_amounts_alone():
    body = b"".join(csv_chunks(COLUMNS, iter([["=SUM(A1)", "-x", Decimal("-5.00")]])))

    assert body.decode("utf-8-sig").splitlines()[1] == "'=SUM(A1),'-x,-5.00"


def test_the_csv_response_is_streamed_as_an_attachment():
    OrganisationFactory()

    response = csv_response(COLUMNS, rows(organisations(), COLUMNS), "organisations.csv")

    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="organisations.csv"'
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 2


def test_the_xlsx_keeps_a_formula_like_text_as_text_and_amounts_as_numbers():
    content = to_xlsx(COLUMNS, iter([["=1+1", "asbl", Decimal("12.50")]]), sheet_title="Organisations")

    sheet = load_workbook(io.BytesIO(content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header == ("Name", "Legal form", "Budget")
    assert row == ("=1+1", "asbl", 12.5)


def test_records_carry_amounts_as_json_numbers():
    (record,) = to_records(COLUMNS, iter([["Maison", "asbl", Decimal("12.50")]]))

    assert record == {"name": "Maison", "legal_form": "asbl", "budget": 12.5}
