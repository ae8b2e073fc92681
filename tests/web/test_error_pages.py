"""Error pages (400, 403, 404, 500 and the CSRF failure) are translated and shown in the site's layout."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from tests.factories import staff

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.error_urls")]

LANGUAGES = ["fr", "nl"]


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def visitor(language: str, user=None, **options) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False, **options)
    if user is not None:
        client.force_login(user)
    return client


def assert_site_layout(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html
    assert "/static/css/site.css" in html
    assert translated(language, "Mutualisation support schemes") in html
    assert 'class="site-footer"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_address_answers_404_with_a_translated_page_in_the_layout(language):
    response = visitor(language).get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_site_layout(html, language)
    assert translated(language, "Page not found") in html
    assert translated(language, "Page not found") != "Page not found"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_answers_403_with_the_reason_the_view_gave(language):
    officer = staff("officer", preferred_language=language)

    response = visitor(language, officer).post("/payments/orders/sepa-export/", {"administration": "cocof"})

    assert response.status_code == 403
    html = response.content.decode()
    assert_site_layout(html, language)
    assert translated(language, "Access refused") in html
    reason = translated(language, "Only finance staff of the administration may export its payments.")
    assert reason != "Only finance staff of the administration may export its payments."
    assert escape(reason) in html


def test_a_refusal_without_a_reason_shows_no_reason_paragraph():
    response = visitor("fr", staff("officer", preferred_language="fr")).get("/failing/forbidden/")

    assert response.status_code == 403
    html = response.content.decode()
    assert translated("fr", "Access refused") in html
    assert 'id="reason"' not in html


def test_a_refusal_shows_the_navigation_of_the_signed_in_user():
    response = visitor("nl", staff("officer", preferred_language="nl")).get("/failing/forbidden/")

    assert translated("nl", "Work queue") in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_without_its_csrf_token_answers_403_with_the_translated_csrf_page(language):
    client = visitor(language, enforce_csrf_checks=True)

    response = client.post("/language/", {"language": "nl"})

    assert response.status_code == 403
    html = response.content.decode()
    assert_site_layout(html, language)
    assert translated(language, "The form has expired") in html
    assert translated(language, "The form has expired") != "The form has expired"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_server_error_answers_500_with_a_translated_page_in_the_layout(language):
    response = visitor(language).get("/failing/server/")

    assert response.status_code == 500
    html = response.content.decode()
    assert_site_layout(html, language)
    assert translated(language, "Something went wrong on our side") in html
    assert translated(language, "Something went wrong on our side") != "Something went wrong on our side"


def test_the_server_error_page_hides_the_navigation_that_needs_a_signed_in_user():
    response = visitor("fr", staff("officer", preferred_language="fr")).get("/failing/server/")

    html = response.content.decode()
    assert translated("fr", "Work queue") not in html
    assert "switch-language" not in html and 'class="language-switcher"' not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_server_error_page_renders_without_a_request_or_a_database(language, django_db_blocker):
    with django_db_blocker.block(), translation.override(language):
        html = render_to_string("500.html")

    assert_site_layout(html, language)
    assert translated(language, "Something went wrong on our side") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_suspicious_request_answers_400_with_a_translated_page_in_the_layout(language):
    response = visitor(language).get("/failing/bad-request/")

    assert response.status_code == 400
    html = response.content.decode()
    assert_site_layout(html, language)
    assert translated(language, "Bad request") in html
    assert translated(language, "Bad request") != "Bad request"


def test_the_csrf_page_hides_djangos_technical_reason_outside_debug():
    response = visitor("fr", enforce_csrf_checks=True).post("/language/", {"language": "nl"})

    assert 'id="debug-reason"' not in response.content.decode()
    assert "CSRF cookie not set" not in response.content.decode()


def test_the_csrf_page_shows_djangos_technical_reason_in_debug(settings):
    settings.DEBUG = True

    response = visitor("fr", enforce_csrf_checks=True).post("/language/", {"language": "nl"})

    assert response.status_code == 403
    assert "CSRF cookie not set" in response.content.decode()
