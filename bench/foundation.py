"""Benchmarks of the shared machinery, on a throwaway test database (numbers go to docs/benchmarks.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutualisation_bench \
        .venv/bin/python -m bench.foundation

Measures, not asserts: reference allocation under parallel connections, transitions, the eligibility
check, and query counts of list pages as rows grow.
"""

import os
import statistics
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def summary(label: str, durations: list[float]) -> None:
    durations = sorted(durations)
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(f"{label}: median {statistics.median(durations):.2f} ms, p95 {p95:.2f} ms (n={len(durations)})")


def on_test_database(run) -> None:
    """Run `run()` on a test database created for the occasion and dropped afterwards."""
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    on_test_database(run)


def run() -> None:
    from django.test import Client

    from core.eligibility import check_eligibility
    from core.references import allocate_reference
    from core.workflow import perform_transition
    from tests.factories import PaymentOrderFactory, SampleFileFactory, applicant, staff

    print(f"database: {connection.vendor}")

    # 1. References: 8 parallel connections x 100 allocations each.
    threads, per_thread, results = 8, 100, []
    barrier = threading.Barrier(threads)

    def allocate_many():
        barrier.wait()
        mine = []
        for _ in range(per_thread):
            with transaction.atomic():
                mine.append(allocate_reference(prefix="BEN", year=2026))
        results.extend(mine)
        connection.close()

    start = time.perf_counter()
    workers = [threading.Thread(target=allocate_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in results)
    gapless = numbers == list(range(1, threads * per_thread + 1))
    print(
        f"reference allocation: {len(results)} in {elapsed:.2f} s = {len(results) / elapsed:.0f}/s "
        f"with {threads} parallel connections; unique and gapless: {gapless}"
    )

    # 2. Transitions (lock, permission, state, save, history row) one after another.
    files = [SampleFileFactory() for _ in range(100)]
    users = [applicant(file.organisation) for file in files]
    officer = staff("officer")
    iterator = iter(range(100))

    def submit_and_screen():
        index = next(iterator)
        perform_transition(file=files[index], name="submit", acting_user=users[index])
        perform_transition(file=files[index], name="start_screening", acting_user=officer)

    summary("submit + start_screening (2 transitions)", timed(submit_and_screen, 100))
    with CaptureQueriesContext(connection) as queries:
        file = SampleFileFactory()
        user = applicant(file.organisation)
    with CaptureQueriesContext(connection) as queries:
        perform_transition(file=file, name="submit", acting_user=user)
    print(f"queries for one submission (eligibility, routing, reference, history): {len(queries)}")

    # 3. Eligibility check.
    organisation = files[0].organisation
    summary("eligibility check (5 rules)", timed(lambda: check_eligibility(organisation, "grants"), 200))
    with CaptureQueriesContext(connection) as queries:
        check_eligibility(organisation, "grants")
    print(f"queries for one eligibility check: {len(queries)}")

    # 4. List pages as rows grow: the query count must not grow.
    finance = staff("finance")
    client = Client()
    client.force_login(finance)
    for total in (10, 100, 1000):
        missing = total - PaymentOrderFactory._meta.model.objects.count()
        PaymentOrderFactory.create_batch(missing, created_by=officer)
        client.get("/work-queue/")
        with CaptureQueriesContext(connection) as queries:
            durations = timed(lambda: client.get("/work-queue/"), 20)
        print(
            f"work queue with {total} orders: {len(queries) // 20} queries, median {statistics.median(durations):.1f} ms"
        )
        with CaptureQueriesContext(connection) as queries:
            durations = timed(lambda: client.get("/api/v1/payments/orders/"), 20)
        print(
            f"API payment orders list with {total} orders: {len(queries) // 20} queries, median {statistics.median(durations):.1f} ms"
        )
        with CaptureQueriesContext(connection) as queries:
            durations = timed(lambda: client.get("/api/v1/organisations/"), 20)
        print(
            f"API organisations list (staff, all organisations): {len(queries) // 20} queries, median {statistics.median(durations):.1f} ms"
        )


if __name__ == "__main__":
    main()
