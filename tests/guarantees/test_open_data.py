"""Open data on guarantees: count and guaranteed volume per administration and year of the offer."""

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from guarantees.models import GuaranteeRequest
from guarantees.states import State
from tests.guarantees.factories import GuaranteeRequestFactory, advance_to

pytestmark = pytest.mark.django_db

CSV_URL = "/guarantees/open-data/guarantees.csv"
JSON_URL = "/guarantees/open-data/guarantees.json"
KEYS = ["administration_code", "administration_name", "year", "count", "guaranteed_volume"]


def offered(target=State.OFFERED):
    return advance_to(GuaranteeRequestFactory(), target)


def expected_totals() -> dict:
    totals = defaultdict(lambda: [0, Decimal("0")])
    for one in GuaranteeRequest.objects.exclude(offered_at=None).exclude(
        state__in=[State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW, State.REJECTED]
    ):
        key = (one.administration.code, timezone.localtime(one.offered_at).year)
        totals[key][0] += 1
        totals[key][1] += one.guaranteed_amount
    return {key: (count, float(volume)) for key, (count, volume) in totals.items()}


def json_records(client=None):
    return json.loads((client or Client()).get(JSON_URL).content)["guarantees"]


def test_the_json_totals_equal_the_offered_guarantees_counted_one_by_one():
    offered()
    offered(State.ACTIVE)
    offered()

    records = json_records()

    assert {(r["administration_code"], r["year"]): (r["count"], r["guaranteed_volume"]) for r in records} == (
        expected_totals()
    )


def test_requests_without_a_decision_are_left_out():
    advance_to(GuaranteeRequestFactory(), State.UNDER_REVIEW)
    GuaranteeRequestFactory()

    assert json_records() == []


def test_the_json_records_hold_only_the_documented_aggregate_keys():
    offered()

    (record,) = json_records()

    assert list(record) == KEYS


def test_the_csv_has_the_documented_header_and_agrees_with_the_json():
    offered()
    offered()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    lines = list(csv.reader(io.StringIO(client.get(CSV_URL).content.decode("utf-8-sig"))))

    assert lines[0] == [
        "Administration code",
        "Administration",
        "Year of the offer",
        "Guarantees offered",
        "Guaranteed volume (EUR)",
    ]
    (record,) = json_records(client)
    assert lines[1] == [
        record["administration_code"],
        record["administration_name"],
        str(record["year"]),
        str(record["count"]),
        f"{Decimal(str(record['guaranteed_volume'])):.2f}",
    ]


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_anyone_may_read_the_open_data_without_logging_in(url):
    offered()

    response = Client().get(url)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_the_open_data_answers_304_when_its_etag_is_sent_back(url):
    offered()
    client = Client()
    etag = client.get(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_a_new_offer_changes_the_etag():
    offered()
    client = Client()
    etag = client.get(JSON_URL)["ETag"]

    offered()

    assert client.get(JSON_URL, HTTP_IF_NONE_MATCH=etag).status_code == 200
