"""Open data on peer mentoring: hours validated, compensation and agreements per year."""

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.test import Client

from peer_mentoring.models import HoursDeclaration
from peer_mentoring.states import AgreementState, DeclarationState

from .factories import agreement_in, declaration_in, last_month

pytestmark = pytest.mark.django_db

CSV_URL = "/mentoring/open-data/hours.csv"
JSON_URL = "/mentoring/open-data/hours.json"
KEYS = ["year", "hours_validated", "compensation", "agreements"]


def json_records(client=None):
    return json.loads((client or Client()).get(JSON_URL).content)["years"]


def expected_by_year() -> dict:
    totals = defaultdict(lambda: [Decimal("0"), Decimal("0"), set()])
    for declaration in HoursDeclaration.objects.filter(state=DeclarationState.VALIDATED):
        year = totals[declaration.month.year]
        year[0] += declaration.total_hours
        year[1] += declaration.amount
        year[2].add(declaration.agreement_id)
    return {
        year: (float(hours), float(paid), len(agreements))
        for year, (hours, paid, agreements) in totals.items()
    }


def test_the_figures_equal_the_validated_declarations_summed_one_by_one():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.VALIDATED, agreement, cast, hours=("2", "3.5"))
    other, other_cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.VALIDATED, other, other_cast, hours=("1.25",))

    records = json_records()

    assert {
        r["year"]: (float(r["hours_validated"]), r["compensation"], r["agreements"]) for r in records
    } == (expected_by_year())


def test_declarations_not_yet_validated_are_left_out():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.CONFIRMED, agreement, cast, month=last_month())

    assert json_records() == []


def test_the_records_hold_only_the_documented_aggregate_keys_and_the_csv_agrees():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.VALIDATED, agreement, cast)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    (record,) = json_records(client)
    lines = list(csv.reader(io.StringIO(client.get(CSV_URL).content.decode("utf-8-sig"))))

    assert list(record) == KEYS
    assert lines[0] == ["Year", "Hours validated", "Compensation (EUR)", "Agreements"]
    assert lines[1][0] == str(record["year"]) and lines[1][3] == str(record["agreements"])


def test_anyone_may_fetch_it_and_revalidate_it_with_its_etag():
    first = Client().get(JSON_URL)

    again = Client().get(JSON_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    assert again.status_code == 304
