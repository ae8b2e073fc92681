"""The officers' search box: every file of their administrations, by reference, enterprise
number, organisation name, title or description; never another administration's, never a draft."""

import pytest
from django.db import connection

from core.schemes import schemes
from core.search import search_files
from grants.states import State
from tests.factories import RecognitionFactory, applicant, staff
from tests.grants.factories import GrantApplicationFactory, application_in

pytestmark = pytest.mark.django_db


def found(user, text) -> list[str]:
    rows = search_files(user, text)
    return [row["reference"] for row in rows] if rows is not None else []


@pytest.fixture
def pooled_kitchen():
    lead = RecognitionFactory(organisation__name_fr="Cuisine Solidaire de Molenbeek").organisation
    application, cast = application_in(
        State.SCREENING,
        lead_organisation=lead,
        title="Cuisine partagée",
        description="Un atelier de cuisine mutualisé",
    )
    return application, cast


def test_a_file_is_found_by_its_reference(pooled_kitchen):
    application, cast = pooled_kitchen

    assert found(cast.officer, application.reference) == [application.reference]


def test_a_reference_typed_in_lower_case_finds_only_that_file(pooled_kitchen):
    application, cast = pooled_kitchen

    assert found(cast.officer, f" {application.reference.lower()} ") == [application.reference]


def test_a_file_is_found_by_its_lead_s_enterprise_number_written_with_dots(pooled_kitchen):
    application, cast = pooled_kitchen
    number = application.lead_organisation.enterprise_number
    dotted = f"{number[:4]}.{number[4:7]}.{number[7:]}"

    assert found(cast.officer, dotted) == [application.reference]


def test_a_file_is_found_by_a_word_of_its_organisation_s_name(pooled_kitchen):
    application, cast = pooled_kitchen

    assert found(cast.officer, "Molenbeek") == [application.reference]


def test_a_file_is_found_by_words_of_its_title_and_description(pooled_kitchen):
    application, cast = pooled_kitchen

    assert found(cast.officer, "atelier cuisine") == [application.reference]


def test_another_administration_s_files_are_never_found(pooled_kitchen):
    application, cast = pooled_kitchen

    assert found(staff("officer", "iriscare"), application.reference) == []


def test_drafts_are_never_found():
    draft = GrantApplicationFactory(title="Brouillon secret")

    assert found(staff("officer"), "secret") == []
    assert draft.reference is None


def test_nothing_is_searched_for_an_empty_box():
    assert search_files(staff("officer"), "   ") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL")
def test_french_and_dutch_words_are_matched_by_their_stem():
    french, cast = application_in(State.SCREENING, title="Mutualisations des achats")
    dutch, _cast = application_in(State.SCREENING, title="Gedeelde boekhouding voor vzw's")

    assert found(cast.officer, "mutualisation") == [french.reference]
    assert found(cast.officer, "gedeeld") == [dutch.reference]


def test_the_web_page_lists_the_results_and_is_404_for_applicants(client, pooled_kitchen):
    application, cast = pooled_kitchen
    cast.officer.preferred_language = "en"
    cast.officer.save()
    client.force_login(cast.officer)

    page = client.get("/search/", {"q": "Molenbeek"}).content.decode()

    assert f'href="{application.get_absolute_url()}"' in page
    client.force_login(applicant(application.lead_organisation))
    assert client.get("/search/", {"q": "Molenbeek"}).status_code == 404


def test_the_api_answers_a_page_of_results_in_a_constant_number_of_queries(
    api_client, pooled_kitchen, django_assert_max_num_queries
):
    application, cast = pooled_kitchen
    for _ in range(5):
        application_in(State.SCREENING, title="Cuisine de quartier")
    api_client.force_authenticate(cast.officer)

    # roles and memberships, a count per file type (each stopping at the cap), the page
    file_types = sum(len(scheme.file_models) for scheme in schemes())
    with django_assert_max_num_queries(2 + file_types):
        response = api_client.get("/api/v1/search/", {"q": "cuisine"})

    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert {result["scheme"] for result in response.json()["results"]} == {"grants"}


def test_the_api_wants_something_to_search_for(api_client):
    api_client.force_authenticate(staff("officer"))

    response = api_client.get("/api/v1/search/")

    assert (response.status_code, list(response.json()["errors"])) == (400, ["q"])


def test_an_applicant_may_not_search_through_the_api(api_client):
    api_client.force_authenticate(applicant())

    assert api_client.get("/api/v1/search/", {"q": "x"}).status_code == 403


def test_a_renamed_lead_organisation_is_found_under_its_new_name(pooled_kitchen):
    from accounts.services import update_organisation

    application, cast = pooled_kitchen
    admin = applicant(application.lead_organisation)

    update_organisation(
        acting_user=admin, organisation=application.lead_organisation, data={"name_fr": "Atelier Zinneke"}
    )

    assert found(cast.officer, "Zinneke") == [application.reference]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector exists on PostgreSQL")
def test_the_stored_vector_follows_the_searchable_text_whatever_writes_it(pooled_kitchen):
    application, cast = pooled_kitchen
    type(application).objects.filter(pk=application.pk).update(search_text="Cuisine solidaire à Anderlecht")

    assert found(cast.officer, "anderlecht") == [application.reference]
    assert found(cast.officer, "Molenbeek") == []


def test_the_count_stops_at_the_cap_and_the_page_says_more_than(monkeypatch, client, pooled_kitchen):
    from core import search

    application, cast = pooled_kitchen
    for _ in range(3):
        application_in(State.SCREENING, title="Cuisine de quartier")
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    monkeypatch.setattr("core.views.COUNT_CAP", 2)
    cast.officer.preferred_language = "en"
    cast.officer.save()
    client.force_login(cast.officer)

    page = client.get("/search/", {"q": "cuisine"})

    assert search.search_count(cast.officer, "cuisine") == 2
    assert b"More than 2 files found" in page.content


def test_each_page_of_results_is_the_same_with_or_without_reading_only_up_to_it(pooled_kitchen):
    application, cast = pooled_kitchen
    for _ in range(6):
        application_in(State.SCREENING, title="Cuisine de quartier")

    everything = [row["pk"] for row in search_files(cast.officer, "cuisine")]
    first_three = [row["pk"] for row in search_files(cast.officer, "cuisine", upto=3)[:3]]

    assert first_three == everything[:3]
    assert len(everything) == 7
