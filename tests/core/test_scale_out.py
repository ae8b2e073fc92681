"""The scale-out drill (`bench/scale_out.py`, docs/RELIABILITY.md §9), run once for the module: two
gunicorn instances with the production settings on one PostgreSQL, documents in moto's S3 server, a
separate `db_worker`, all spoken to over real HTTP. Each test asserts one of its checks. PostgreSQL
only (skipped on SQLite); about two minutes, most of it migrating and loading the demo data."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL") or ""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL (set DATABASE_URL)",
    ),
]


@pytest.fixture(scope="module")
def drill(tmp_path_factory) -> dict[str, dict]:
    """The drill's checks by key; it runs in its own database beside the test database."""
    parts = urlsplit(DATABASE_URL)
    drill_database = parts._replace(path=parts.path.rstrip("/") + "_scale_out").geturl()
    results = tmp_path_factory.mktemp("scale-out") / "checks.json"
    environment = {**os.environ, "DRILL_DATABASE_URL": drill_database}
    finished = subprocess.run(
        [sys.executable, "-m", "bench.scale_out", "--json", str(results)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if not results.exists():
        pytest.fail(
            f"the drill did not finish ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}"
        )
    return {check["key"]: check for check in json.loads(results.read_text())}


def assert_passed(check: dict) -> None:
    assert check["passed"], f"{check['name']}: {check['figures']}"


def test_both_instances_are_ready_with_documents_on_the_object_store(drill):
    assert_passed(drill["readiness"])


def test_a_document_uploaded_on_one_instance_downloads_identical_on_the_other_from_the_bucket(drill):
    assert_passed(drill["document"])


def test_a_session_opened_on_one_instance_is_signed_in_on_the_other(drill):
    assert_passed(drill["session"])


def test_failed_logins_split_across_the_instances_trip_one_shared_throttle(drill):
    assert_passed(drill["throttle"])


def test_a_transition_taken_on_one_instance_is_seen_at_once_on_the_other(drill):
    assert_passed(drill["transition"])


def test_the_emails_a_request_enqueued_are_sent_by_the_separate_db_worker(drill):
    assert_passed(drill["worker"])


def test_killing_an_instance_mid_batch_loses_nothing_acknowledged_and_half_applies_nothing(drill):
    assert_passed(drill["kill"])


def test_with_the_object_store_stopped_an_upload_is_refused_as_not_stored_and_leaves_nothing(drill):
    assert_passed(drill["store_down"])
