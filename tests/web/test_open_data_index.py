"""The public open-data index: every scheme's dataset, its two formats and its fields, without login."""

import pytest
from django.test import Client

from core.open_data import datasets

pytestmark = pytest.mark.django_db


def test_the_index_lists_the_three_datasets_to_anonymous_visitors():
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/open-data/")

    assert page.status_code == 200
    for path in (
        "/grants/open-data/awards.csv",
        "/guarantees/open-data/guarantees.json",
        "/mentoring/open-data/hours.csv",
    ):
        assert f'href="{path}"'.encode() in page.content


def test_the_index_lists_each_datasets_fields_as_the_files_have_them():
    listed = Client().get("/open-data/?format=json").json()["datasets"]

    awards = next(d for d in listed if d["code"] == "grant-awards")
    header = Client().get(awards["csv"]).content.decode("utf-8-sig").splitlines()[0]
    assert len(header.split(",")) == len(awards["fields"])
    assert [d["code"] for d in listed] == [d.code for d in datasets()]


def test_every_listed_file_answers_publicly():
    for dataset in Client().get("/open-data/?format=json").json()["datasets"]:
        assert Client().get(dataset["csv"]).status_code == 200
        assert Client().get(dataset["json"]).status_code == 200


def test_the_field_list_is_translated():
    page = Client(HTTP_ACCEPT_LANGUAGE="nl").get("/open-data/")

    assert b"CSV downloaden" in page.content
    assert b"Jaar" in page.content  # the mentoring dataset's "year" field
