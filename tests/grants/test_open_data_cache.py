"""Open data on awards: cached per format and language, revalidated with an ETag (304)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grants.workflow import State
from tests.grants.factories import application_in

pytestmark = pytest.mark.django_db

URLS = ["/grants/open-data/awards.csv", "/grants/open-data/awards.json"]


def application_queries(captured) -> list[str]:
    return [query["sql"] for query in captured if "grants_grantapplication" in query["sql"]]


@pytest.mark.parametrize("url", URLS)
def test_the_open_data_answers_304_when_its_etag_is_sent_back(url):
    application_in(State.APPROVED)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    etag = client.get(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


@pytest.mark.parametrize("url", URLS)
def test_a_revalidation_costs_one_aggregate_on_the_awarded_files(url):
    application_in(State.APPROVED)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    etag = client.get(url)["ETag"]

    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_IF_NONE_MATCH=etag)

    (query,) = application_queries(captured)
    assert "COUNT(" in query and "MAX(" in query


@pytest.mark.parametrize("url", URLS)
def test_the_open_data_is_served_from_the_cache_while_the_awards_are_unchanged(url):
    application_in(State.APPROVED)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    first = client.get(url)

    with CaptureQueriesContext(connection) as captured:
        second = client.get(url)

    assert second.content == first.content
    assert len(application_queries(captured)) == 1  # the aggregate, not the rows


@pytest.mark.parametrize("url", URLS)
def test_a_new_award_changes_the_etag_and_appears_at_once(url):
    first, _cast = application_in(State.APPROVED)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    etag = client.get(url)["ETag"]

    second, _cast = application_in(State.APPROVED)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert second.reference in response.content.decode("utf-8")


def test_each_language_has_its_own_etag():
    application_in(State.APPROVED)

    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(URLS[0])
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get(URLS[0])

    assert french["ETag"] != dutch["ETag"]
    assert "Referentie" in dutch.content.decode("utf-8-sig")
