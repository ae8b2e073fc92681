"""Schemathesis against /api/v1/schema/, as each role, on the demo data: the API answers what its
schema says (no server error, every status declared, every body of the declared shape).

A small budget keeps `make test` quick; `make fuzz` runs the same with more examples per operation
(FUZZ_MAX_EXAMPLES). Cases run and failures per role are printed (`-s` shows them).
"""

import logging
import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connections
from rest_framework.authtoken.models import Token
from schemathesis.engine import events

from accounts.models import Organisation, User
from core.models import Document, HistoryEntry, Notification, PaymentOrder
from grants.models import Call, GrantApplication
from peer_mentoring.models import Agreement, HoursDeclaration, Mentor, MentorApplication

# Transactional: schemathesis calls the app from its own worker thread, which has its own connection.
# Transactional (the WSGI app under test opens its own connections), without serialized rollback:
# that one leaves the next transactional test a database without content types.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

ROLES = {
    "applicant": "applicant@demo.example",
    "officer": "officer.cocof@demo.example",
    "approver": "approver.cocof@demo.example",
    "finance": "finance.cocof@demo.example",
    "lender": "lender@demo.example",
    "mentor": "mentor@demo.example",
}
CHECKS = ["not_a_server_error", "response_schema_conformance", "status_code_conformance"]
PHASES = ["examples", "coverage", "fuzzing"]
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))


def demo_values() -> dict[str, list]:
    """Ids and names of the demo data, so that path parameters often name real objects (random
    numbers alone only ever reach the 404s)."""
    ids = set()
    for model in (
        GrantApplication,
        Call,
        Organisation,
        PaymentOrder,
        Notification,
        Agreement,
        HoursDeclaration,
        Mentor,
        MentorApplication,
    ):
        ids.update(model.objects.values_list("pk", flat=True))
    transitions = sorted(set(HistoryEntry.objects.values_list("transition", flat=True)) - {""})
    return {
        "ids": sorted(ids),
        "document_ids": sorted(Document.objects.values_list("pk", flat=True)) or [1],
        "transitions": transitions or ["submit"],
    }


def closing_connections(app):
    """The app, closing the calling thread's database connections after each request: schemathesis'
    worker threads would otherwise keep theirs open (CONN_MAX_AGE) and block the test database's
    teardown on PostgreSQL."""

    def call(environ, start_response):
        try:
            return app(environ, start_response)
        finally:
            connections.close_all()

    return call


def run_schemathesis(token: str, *, max_examples: int) -> tuple[int, int, list[str]]:
    """Runs the phases and checks above; answers the number of cases, how many of them were answered
    with a 2xx, and a line per failure."""
    values = demo_values()
    config = schemathesis.Config.from_dict(
        {
            "headers": {"Authorization": f"Token {token}"},
            "dictionaries": {name: {"values": found} for name, found in values.items()},
            "parameters": {
                "path.id": {"dictionary": "ids", "probability": 0.7},
                "path.document_id": {"dictionary": "document_ids", "probability": 0.7},
                "path.name": {"dictionary": "transitions", "probability": 0.7},
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {
                "enabled": False,
                **{name: {"enabled": True} for name in PHASES},
            },
            "generation": {"max-examples": max_examples, "deterministic": True},
            "seed": 2026,
            "workers": 1,
            "cache": {"enabled": False},
            "continue-on-failure": True,
        }
    )
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", closing_connections(get_wsgi_application()), config=config
    ).exclude(path_regex="^/api/v1/test/")  # the test-only file type of tests/urls.py
    cases, successes, failures = 0, 0, []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases += len(event.recorder.cases)
            successes += sum(
                1
                for interaction in event.recorder.interactions.values()
                if interaction.response is not None and 200 <= interaction.response.status_code < 300
            )
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        case = event.recorder.cases[case_id].value
                        failures.append(
                            f"{check.name}: {case.method} {case.formatted_path} "
                            f"{check.failure_info.failure.title}: {check.failure_info.failure.message[:300]}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(f"error: {event.info.format() if hasattr(event, 'info') else event}")
    return cases, successes, sorted(set(failures))


@pytest.fixture
def demo_data(reference_data):
    call_command("load_demo_data", verbosity=0)
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)  # thousands of expected 400s and 404s
    yield
    requests_log.setLevel(level)
    cache.clear()  # throttle counters
    connections.close_all()


@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_no_failure_for_the_role(role, demo_data, capsys):
    token, _created = Token.objects.get_or_create(user=User.objects.get(email=ROLES[role]))

    cases, successes, failures = run_schemathesis(token.key, max_examples=MAX_EXAMPLES)

    with capsys.disabled():
        print(f"\nschemathesis as {role}: {cases} cases ({successes} answered 2xx), {len(failures)} failures")
    assert cases > 0
    assert not failures, "\n".join(failures)
