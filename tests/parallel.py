"""Running work in parallel threads, each on its own database connection (race tests)."""

import threading

from django.db import connection


def run_in_parallel(count: int, work) -> list:
    """Run `work(i)` in `count` threads that start together, each on its own connection; the list
    holds each result, or the exception it raised (the outcome under test may be a refusal)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
