"""Backup and restore (ops/backup, ops/restore): a backup restored into a fresh database and a fresh
document directory holds every file, history row, document and payment order identical, and every
document's bytes. PostgreSQL only (pg_dump of a committed database)."""

import hashlib
import io
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from core.documents import attach_document
from core.models import Document
from grants.models import GrantApplication
from tests.factories import applicant

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed

TABLES = [
    "grants_grantapplication",
    "grants_budgetline",
    "guarantees_guaranteerequest",
    "guarantees_lenderdeclaration",
    "peer_mentoring_agreement",
    "peer_mentoring_hoursdeclaration",
    "peer_mentoring_declarationline",
    "core_historyentry",
    "core_document",
    "core_paymentorder",
    "core_message",
    "accounts_organisation",
]
OPS = Path(settings.BASE_DIR) / "ops"


def database_url(name: str) -> str:
    conf = connection.settings_dict
    user = conf.get("USER") or "postgres"
    return f"postgres://{user}@{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{name}"


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows in id order."""
    found = {}
    with psycopg.connect(url) as database:
        for table in TABLES:
            count, digest = database.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t"
            ).fetchone()
            found[table] = (count, digest)
    return found


def file_digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return Path(settings.MEDIA_ROOT)


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs PostgreSQL's client tools")
def test_a_restored_backup_holds_every_row_and_document_identical(reference_data, media, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL dumps")
    call_command("load_demo_data", stdout=io.StringIO())
    application = GrantApplication.objects.exclude(state="draft").first()
    attach_document(
        file=application,
        document_type="statutes",
        upload=SimpleUploadedFile(
            "statuts.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
        ),
        acting_user=applicant(application.lead_organisation),
    )
    original_url = database_url(connection.settings_dict["NAME"])
    restored_name = f"restore_{uuid.uuid4().hex[:8]}"
    backup, restored_media = tmp_path / "backup", tmp_path / "restored-media"
    environment = {**os.environ, "DATABASE_URL": original_url, "DJANGO_MEDIA_ROOT": str(media)}

    subprocess.run([OPS / "backup", backup], env=environment, check=True, capture_output=True)
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        subprocess.run(
            [OPS / "restore", backup],
            env={
                **environment,
                "DATABASE_URL": database_url(restored_name),
                "DJANGO_MEDIA_ROOT": str(restored_media),
            },
            check=True,
            capture_output=True,
        )

        assert fingerprint(database_url(restored_name)) == fingerprint(original_url)
        assert Document.objects.count() >= 1
        assert file_digests(restored_media) == file_digests(media)
        for document in Document.objects.all():
            restored = restored_media / document.content.name
            assert hashlib.sha256(restored.read_bytes()).hexdigest() == document.sha256
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs PostgreSQL's client tools")
def test_a_restore_refuses_a_database_that_is_not_empty(reference_data, media, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL dumps")
    url = database_url(connection.settings_dict["NAME"])
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_MEDIA_ROOT": str(media)}
    subprocess.run([OPS / "backup", tmp_path / "backup"], env=environment, check=True, capture_output=True)

    result = subprocess.run(
        [OPS / "restore", tmp_path / "backup"], env=environment, capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "refusing to restore" in result.stderr
