"""Helpers for the grants API tests: clients signed in with a token asking for English answers, and a
PDF to upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def client_for():
    """An API client authenticated with the user's token, reading English messages.

    A token (not `force_authenticate`) makes every request load the user afresh, as in production,
    so roles granted during a test are seen and query counts include the sign-in."""

    def make(user) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def pdf_file():
    """A small but real PDF upload (documents are checked by content)."""

    def make(name: str = "statuts.pdf"):
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer)
        page.drawString(72, 720, "Statuts de l'ASBL")
        page.save()
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")

    return make


@pytest.fixture(autouse=True)
def english():
    """Service messages in English, so tests can read them (web and API requests set their own)."""
    from django.utils import translation

    with translation.override("en"):
        yield
