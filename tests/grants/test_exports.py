"""Exports of grant files: the officer list in CSV and XLSX, and the public open data on awards."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from core.models import HistoryEntry
from grants.choices import Axis
from grants.workflow import State
from tests.factories import staff
from tests.grants.factories import (
    CallFactory,
    GrantApplicationFactory,
    StaffCast,
    act,
    advance_to,
    application_in,
    iriscare_application,
    ready_for_decision,
)

pytestmark = pytest.mark.django_db

CSV_URL = "/grants/export/applications.csv"
XLSX_URL = "/grants/export/applications.xlsx"
OPEN_CSV_URL = "/grants/open-data/awards.csv"
OPEN_JSON_URL = "/grants/open-data/awards.json"
BOM = b"\xef\xbb\xbf"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def english_officer(code: str = "cocof"):
    return staff("officer", code, preferred_language="en")


def submitted_in(call, cast, **fields):
    return advance_to(GrantApplicationFactory(call=call, **fields), State.SUBMITTED, cast)


# -- the officer list -----------------------------------------------------------------------------


def test_the_csv_lists_the_administrations_files_with_every_column():
    application, cast = application_in(State.SUBMITTED, requested_amount=Decimal("40000.00"))
    organisation = application.lead_organisation
    number = organisation.enterprise_number

    response = signed_in(english_officer()).get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="grant-applications-')
    rows = csv_rows(response)
    assert rows[0] == [
        "Reference",
        "Title",
        "Lead organisation",
        "Enterprise number",
        "Administration",
        "Call",
        "State",
        "Requested (EUR)",
        "Awarded (EUR)",
        "Submitted at",
        "Deadline",
    ]
    (row,) = as_dicts(rows)
    assert row["Reference"] == application.reference
    assert row["Title"] == "Shared accounting office"
    assert row["Lead organisation"] == organisation.name_fr
    assert row["Enterprise number"] == f"{number[:4]}.{number[4:7]}.{number[7:]}"
    assert row["Administration"] == application.administration.name_fr
    assert row["Call"] == application.call.title_fr
    assert row["State"] == "Submitted"
    assert row["Requested (EUR)"] == "40000.00"
    assert row["Awarded (EUR)"] == ""
    assert row["Submitted at"].startswith(timezone.localdate(application.submitted_at).isoformat())
    assert row["Deadline"] == application.deadline.isoformat()  # stored when it entered its state


def test_the_csv_headers_and_states_follow_the_users_language():
    application_in(State.SUBMITTED)

    french = csv_rows(signed_in(staff("officer", preferred_language="fr")).get(CSV_URL))
    dutch = csv_rows(signed_in(staff("officer", preferred_language="nl")).get(CSV_URL))

    assert {"Référence", "Numéro d'entreprise", "Administration", "État", "Échéance"} <= set(french[0])
    assert {"Referentie", "Ondernemingsnummer", "Administratie", "Status", "Uiterste datum"} <= set(dutch[0])


def test_the_xlsx_has_the_same_rows_with_amounts_as_numbers_and_dates_as_dates():
    application, cast = application_in(State.APPROVED)

    response = signed_in(english_officer()).get(XLSX_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, row = xlsx_rows(response)
    values = dict(zip(header, row, strict=True))
    assert header[0] == "Reference"
    assert values["Reference"] == application.reference
    assert values["State"] == "Approved"
    assert values["Requested (EUR)"] == 40000 and isinstance(values["Requested (EUR)"], int | float)
    assert values["Awarded (EUR)"] == 35000 and isinstance(values["Awarded (EUR)"], int | float)
    assert isinstance(values["Submitted at"], datetime)
    assert values["Deadline"].date() == application.acceptance_deadline


def test_drafts_are_never_exported():
    draft, cast = application_in(State.DRAFT)
    submitted = advance_to(
        GrantApplicationFactory(lead_organisation=draft.lead_organisation), State.SUBMITTED
    )

    rows = as_dicts(csv_rows(signed_in(english_officer()).get(CSV_URL)))

    assert [row["Title"] for row in rows] == [submitted.title]
    assert [row["Reference"] for row in rows] == [submitted.reference]


def test_staff_of_another_administration_do_not_see_the_files():
    application_in(State.SUBMITTED)  # routed to Cocof
    iriscare = iriscare_application()
    iriscare = advance_to(iriscare, State.SUBMITTED, StaffCast(iriscare, "iriscare"))

    iriscare_rows = as_dicts(csv_rows(signed_in(english_officer("iriscare")).get(CSV_URL)))
    cocof_rows = as_dicts(csv_rows(signed_in(english_officer("cocof")).get(CSV_URL)))

    assert [row["Reference"] for row in iriscare_rows] == [iriscare.reference]
    assert iriscare.reference not in [row["Reference"] for row in cocof_rows]


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_applicants_do_not_find_the_officer_exports(url):
    application, cast = application_in(State.SUBMITTED)

    assert signed_in(cast.applicant).get(url).status_code == 404


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_anonymous_visitors_are_sent_to_sign_in(url):
    response = Client().get(url)

    assert response.status_code == 302
    assert "/auth/login/" in response["Location"]


def test_the_exports_apply_the_lists_filters():
    call = CallFactory()
    other_call = CallFactory()
    application = GrantApplicationFactory(call=call)
    cast = StaffCast(application)
    screening = advance_to(application, State.SCREENING, cast)
    submitted = submitted_in(call, cast, lead_organisation=application.lead_organisation)
    elsewhere = submitted_in(other_call, cast, lead_organisation=application.lead_organisation)
    client = signed_in(english_officer())

    def references(query: str) -> set[str]:
        return {row["Reference"] for row in as_dicts(csv_rows(client.get(f"{CSV_URL}?{query}")))}

    assert references("") == {screening.reference, submitted.reference, elsewhere.reference}
    assert references("state=screening") == {screening.reference}
    assert references(f"call={other_call.pk}") == {elsewhere.reference}
    assert references("administration=cocof&state=submitted") == {submitted.reference, elsewhere.reference}
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert references(f"deadline_before={yesterday}") == set()


def test_an_invalid_filter_is_refused_rather_than_ignored():
    application_in(State.SUBMITTED)

    response = signed_in(english_officer()).get(f"{CSV_URL}?deadline_before=not-a-date")

    assert response.status_code == 400
    assert "deadline_before" in json.loads(response.content)


def test_a_title_that_looks_like_a_formula_stays_text():
    application, cast = application_in(State.SUBMITTED, title='=HYPERLINK("http://evil.example")')
    client = signed_in(english_officer())

    (row,) = as_dicts(csv_rows(client.get(CSV_URL)))
    header, cells = xlsx_rows(client.get(XLSX_URL))

    assert row["Title"] == '\'=HYPERLINK("http://evil.example")'
    assert dict(zip(header, cells, strict=True))["Title"] == application.title


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_the_officer_export_costs_the_same_queries_for_3_or_30_files(url):
    call = CallFactory()
    first = GrantApplicationFactory(call=call)
    cast = StaffCast(first)
    advance_to(first, State.SUBMITTED, cast)
    for _number in range(2):
        submitted_in(call, cast, lead_organisation=first.lead_organisation)
    client = signed_in(english_officer())
    client.get(url)  # warm the session and content-type caches

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _number in range(27):
        submitted_in(call, cast, lead_organisation=first.lead_organisation)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    rows = csv_rows(response) if url.endswith(".csv") else xlsx_rows(response)
    assert len(rows) == 31
    assert len(many) == len(few)


# -- open data ------------------------------------------------------------------------------------


def awarded_and_others():
    """An approved, a closed, a rejected, a submitted and a draft file; returns the awarded ones."""
    approved, _cast = application_in(State.APPROVED)
    closed, _cast = application_in(State.CLOSED)
    rejected, cast = ready_for_decision()
    act(rejected, "reject", cast.approver, comment="Not a mutualisation.")
    application_in(State.SUBMITTED)
    application_in(State.DRAFT)
    return [approved, closed]


def test_the_open_data_lists_only_awarded_grants_for_anonymous_visitors():
    approved, closed = awarded_and_others()

    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(OPEN_CSV_URL)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = csv_rows(response)
    assert rows[0] == [
        "Reference",
        "Organisation",
        "Enterprise number",
        "Project",
        "Axes",
        "Awarded (EUR)",
        "Decision date",
        "Administration",
        "Call",
    ]
    by_reference = {row["Reference"]: row for row in as_dicts(rows)}
    assert set(by_reference) == {approved.reference, closed.reference}
    row = by_reference[approved.reference]
    assert row["Organisation"] == approved.lead_organisation.name_fr
    assert row["Project"] == approved.title
    assert row["Awarded (EUR)"] == "35000.00"
    assert row["Decision date"] == timezone.localdate(approved.decided_at).isoformat()
    assert row["Administration"] == approved.administration.name_fr


def test_the_open_data_json_has_the_same_awards_with_amounts_as_numbers():
    approved, closed = awarded_and_others()

    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(OPEN_JSON_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["count"] == 2
    record = next(r for r in data["awards"] if r["reference"] == approved.reference)
    assert record == {
        "reference": approved.reference,
        "organisation_name": approved.lead_organisation.name_fr,
        "enterprise_number": approved.lead_organisation.enterprise_number[:4]
        + "."
        + approved.lead_organisation.enterprise_number[4:7]
        + "."
        + approved.lead_organisation.enterprise_number[7:],
        "project_title": approved.title,
        "axes": "; ".join(str(dict(Axis.choices)[axis]) for axis in approved.axes),
        "awarded_amount": 35000.0,
        "decision_date": timezone.localdate(approved.decided_at).isoformat(),
        "administration": approved.administration.name_fr,
        "call": approved.call.title_fr,
    }
    assert date.fromisoformat(record["decision_date"])


def test_the_open_data_holds_no_personal_data():
    approved, closed = awarded_and_others()
    people = User.objects.filter(pk__in=HistoryEntry.objects.values("actor"))
    assert people.count() >= 4

    for url in (OPEN_CSV_URL, OPEN_JSON_URL):
        content = Client().get(url).content.decode("utf-8")
        assert "@" not in content
        assert approved.lead_organisation.iban not in content
        for person in people:
            assert person.last_name not in content


def test_the_open_data_headers_follow_the_visitors_language():
    awarded_and_others()

    rows = csv_rows(Client(HTTP_ACCEPT_LANGUAGE="nl").get(OPEN_CSV_URL))

    assert {"Referentie", "Organisatie", "Ondernemingsnummer", "Administratie"} <= set(rows[0])


def test_the_open_data_costs_the_same_queries_whatever_the_number_of_awards():
    awarded_and_others()
    with CaptureQueriesContext(connection) as few:
        Client().get(OPEN_JSON_URL)
    for _number in range(5):
        application_in(State.APPROVED)
    with CaptureQueriesContext(connection) as many:
        response = Client().get(OPEN_JSON_URL)

    assert json.loads(response.content)["count"] == 7
    assert len(many) == len(few)


def test_an_export_of_the_officer_list_is_recorded_with_who_and_which_filters():
    from accounts.models import Administration
    from core.models import HistoryEntry

    officer = english_officer()

    signed_in(officer).get(CSV_URL, {"state": "submitted"})

    (entry,) = HistoryEntry.objects.for_file(Administration.objects.get(code="cocof"))
    assert (entry.transition, entry.actor, entry.staff_only) == ("personal_data_exported", officer, True)
    assert entry.parameters == {
        "export": "grant-applications",
        "format": "csv",
        "filters": {"state": "submitted"},
    }
