"""Schemathesis against /api/v1/schema/, as each role, on the demo data: the API answers what its
schema says (no server error, every status declared, every body of the declared shape).

A small budget keeps `make test` quick; `make fuzz` runs the same with more examples per operation
(FUZZ_MAX_EXAMPLES). Cases run and failures per role are printed (`-s` shows them).
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connections
from rest_framework.authtoken.models import Token
from schemathesis.engine import events

from accounts.models import User

# Transactional: schemathesis calls the app from its own worker thread, which has its own connection.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

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


def run_schemathesis(token: str, *, max_examples: int) -> tuple[int, list[str]]:
    """Runs the phases and checks above; answers the number of cases and a line per failure."""
    config = schemathesis.Config.from_dict(
        {
            "headers": {"Authorization": f"Token {token}"},
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
        "/api/v1/schema/?format=json", get_wsgi_application(), config=config
    )
    cases, failures = 0, []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases += len(event.recorder.cases)
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
    return cases, sorted(set(failures))


@pytest.fixture
def demo_data():
    call_command("load_demo_data", verbosity=0)
    yield
    cache.clear()  # throttle counters
    connections.close_all()


@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_no_failure_for_the_role(role, demo_data, capsys):
    token, _created = Token.objects.get_or_create(user=User.objects.get(email=ROLES[role]))

    cases, failures = run_schemathesis(token.key, max_examples=MAX_EXAMPLES)

    with capsys.disabled():
        print(f"\nschemathesis as {role}: {cases} cases, {len(failures)} failures")
    assert cases > 0
    assert not failures, "\n".join(failures)
