"""PostgreSQL restarting under a running app server: every connection the workers keep open is cut by
the server (what a restart or a fail-over does to its clients); the next requests are served on new
connections, without restarting the app.

A real gunicorn on the test database; the connections are cut with `pg_terminate_backend`, the
server-side end of a restart, rather than by restarting the cluster the rest of the suite runs on."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

WORKERS = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _app_connections() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.fixture
def app_server(reference_data):
    database = connection.settings_dict
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "DATABASE_CONN_MAX_AGE": "600",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(port, "/health/live/") == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail("gunicorn did not start")
        time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=20)


def test_after_the_database_cuts_every_connection_the_next_requests_are_served(app_server):
    port = app_server
    answers = [_get(port, "/health/ready/") for _ in range(4 * WORKERS)]
    assert answers == [200] * len(answers)
    kept = _app_connections()
    assert kept  # the workers keep their connections between requests (CONN_MAX_AGE)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [list(kept)])
    deadline = time.monotonic() + 10
    while _app_connections() & kept and time.monotonic() < deadline:
        time.sleep(0.05)

    answers = [_get(port, "/health/ready/") for _ in range(4 * WORKERS)]

    assert answers == [200] * len(answers)  # each worker checks its connection first, then reconnects
    assert _app_connections() and not (_app_connections() & kept)
