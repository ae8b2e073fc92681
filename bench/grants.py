"""Benchmarks of the grants scheme on a throwaway test database (numbers go to docs/benchmarks.md).

DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutualisation_bench .venv/bin/python -m bench.grants
"""

import os
import statistics
import threading
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.foundation import on_test_database, summary, timed  # noqa: E402


def main() -> None:
    on_test_database(run)


def run() -> None:
    from django.test import Client

    from core.exceptions import Conflict
    from core.workflow import perform_transition
    from grants.models import GrantApplication
    from grants.selectors import envelopes_with_budget
    from grants.workflow import State
    from tests.factories import staff
    from tests.grants.factories import CallFactory, Cast, GrantApplicationFactory, advance_to, review

    print(f"database: {connection.vendor}")
    officer, approver = staff("officer"), staff("approver")

    # 1. The whole happy path, draft to closed (7 transitions, advance and balance orders).
    call = CallFactory(envelopes={"cocof": Decimal("100000000")})
    durations = timed(lambda: advance_to(GrantApplicationFactory(call=call), State.CLOSED), 20)
    summary("draft → closed (7 transitions, factories included)", durations)

    # 2. Parallel approvals on one envelope: 8 connections, envelope covering 5 awards.
    small = CallFactory(envelopes={"cocof": Decimal("175000")})
    files = []
    for _ in range(8):
        application = GrantApplicationFactory(call=small)
        cast = Cast(application)
        application = advance_to(application, State.UNDER_REVIEW, cast)
        review(application, cast.reviewer)
        files.append(application)
    approvers = [staff("approver") for _ in files]
    barrier, outcomes = threading.Barrier(len(files)), []

    def approve(index):
        barrier.wait()
        try:
            perform_transition(
                file=files[index],
                name="approve",
                acting_user=approvers[index],
                data={"awarded_amount": "35000"},
            )
            outcomes.append("approved")
        except Conflict as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=approve, args=(i,)) for i in range(len(files))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    (envelope,) = envelopes_with_budget(small)
    print(
        f"8 parallel approvals of 35 000 € on a 175 000 € envelope: {outcomes.count('approved')} approved, "
        f"{outcomes.count('envelope_exhausted')} refused in {elapsed:.2f} s; committed {envelope.committed} "
        f"≤ envelope {envelope.amount}"
    )

    # 3. List pages and the work queue as files grow.
    client = Client()
    client.force_login(officer)
    for total in (10, 100):  # each file is created through real submission (~0.5 s apiece)
        missing = total - GrantApplication.objects.exclude(state=State.DRAFT).count()
        for _ in range(max(missing, 0)):
            application = GrantApplicationFactory(call=call)
            perform_transition(file=application, name="submit", acting_user=Cast(application).applicant)
        for url in ("/grants/applications/", "/work-queue/", "/api/v1/grants/applications/"):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                durations = timed(lambda url=url: client.get(url), 10)
            print(
                f"{url} with {total} files: {len(queries) // 10} queries, median {statistics.median(durations):.1f} ms"
            )
    del approver


if __name__ == "__main__":
    main()
