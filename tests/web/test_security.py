"""CSRF protection, login throttling and the language switcher."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Organisation
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_form_post_without_a_csrf_token_is_refused(person, client_for):
    client = client_for(person("other_applicant"), enforce_csrf_checks=True)

    response = client.post("/organisations/new/", {"name_fr": "Sans jeton", "legal_form": "asbl"})

    assert response.status_code == 403
    assert not Organisation.objects.filter(name_fr="Sans jeton").exists()


def test_a_session_authenticated_api_post_without_a_csrf_token_is_refused(person, client_for):
    client = client_for(person("other_applicant"), enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/organisations/", {"name_fr": "Sans jeton"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not Organisation.objects.filter(name_fr="Sans jeton").exists()


def test_a_language_switch_without_a_csrf_token_is_refused(person, client_for):
    user = person("admin")

    response = client_for(user, enforce_csrf_checks=True).post("/language/", {"language": "nl"})

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_a_token_authenticated_api_post_needs_no_csrf_token(person):
    user = person("admin")
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 200


def test_the_language_switcher_saves_a_signed_in_users_preferred_language(person, client_for):
    user = person("admin")

    response = client_for(user).post("/language/", {"language": "nl", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "nl"


def test_the_chosen_language_is_used_on_the_next_page(person, client_for):
    client = client_for(person("admin"))
    client.post("/language/", {"language": "nl", "next": "/"})

    response = client.get("/organisations/")

    assert response.headers["Content-Language"] == "nl"


def test_an_unknown_language_is_not_saved(person, client_for):
    user = person("admin")

    client_for(user).post("/language/", {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_the_language_switcher_does_not_redirect_to_another_site(client_for):
    response = client_for(None).post("/language/", {"language": "nl", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_language_switcher_answers_anonymous_visitors_with_a_cookie(client_for):
    response = client_for(None).post("/language/", {"language": "nl", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nl"


def test_the_language_switcher_refuses_get(client_for):
    response = client_for(None).get("/language/?language=nl")

    assert response.status_code == 405


def test_a_sixth_failed_login_for_one_email_is_refused_as_too_many(client_for):
    user = UserFactory(email="ada@example.org")
    client = client_for(None)
    for _attempt in range(5):
        client.post("/auth/login/", {"login": user.email, "password": "wrong-password"})

    response = client.post("/auth/login/", {"login": user.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_the_login_throttle_also_refuses_the_right_password_once_tripped(client_for):
    user = UserFactory(email="ada@example.org")
    client = client_for(None)
    for _attempt in range(5):
        client.post("/auth/login/", {"login": user.email, "password": "wrong-password"})

    response = client.post("/auth/login/", {"login": user.email, "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_failed_logins_do_not_trip_the_throttle(client_for):
    user = UserFactory(email="ada@example.org")
    client = client_for(None)
    for _attempt in range(4):
        client.post("/auth/login/", {"login": user.email, "password": "wrong-password"})

    response = client.post("/auth/login/", {"login": user.email, "password": "wrong-password"})

    assert "Too many failed login attempts" not in response.content.decode()


# -- security headers and settings -------------------------------------------------------------------


def test_every_page_carries_a_content_security_policy_without_inline_script_or_style(client_for):
    policy = client_for(None).get("/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "style-src-attr" not in directives
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_no_template_holds_an_inline_script_event_handler_or_style():
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{template.name}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.name}: an on… event handler")
        if re.search(r"<style\b|\sstyle\s*=", text):
            offenders.append(f"{template.name}: an inline style")

    assert offenders == []


def test_pages_may_not_be_framed(client_for):
    assert client_for(None).get("/")["X-Frame-Options"] == "DENY"


def test_the_production_settings_pass_the_deployment_checks():
    import os
    import secrets
    import subprocess
    import sys

    from django.conf import settings

    environment = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "subsidies.example.brussels",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
