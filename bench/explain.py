"""Why one page is slow: its queries (the slowest with EXPLAIN (ANALYZE, BUFFERS)) and a profile.

    .venv/bin/python -m bench.explain /grants/applications/ officer.cocof@bench.example
    .venv/bin/python -m bench.explain /api/v1/grants/applications/ officer.cocof@bench.example --api

Runs in this process with the production settings, on the database `bench.run` left behind
(`mutualisation_bench`, or `BENCH_DATABASE_URL`); the request is made once to warm up, then once
under pyinstrument and once with the queries captured.
"""

import argparse
import os
import secrets
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mutualisation_bench")
if "BENCH_DATABASE_URL" in os.environ:
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(60))
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def _client(email: str, api: bool) -> Client:
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    user = User.objects.get(email=email)
    if api:
        token, _created = Token.objects.get_or_create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def _fetch(client: Client, path: str) -> tuple[int, int]:
    response = client.get(path, secure=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path")
    parser.add_argument("email", nargs="?", help="who is signed in (anonymous without)")
    parser.add_argument("--api", action="store_true", help="authenticate with a token instead of a session")
    parser.add_argument("--explain", type=int, default=2, help="how many of the slowest queries to explain")
    arguments = parser.parse_args()

    client = _client(arguments.email, arguments.api) if arguments.email else Client()
    status, size = _fetch(client, arguments.path)  # warm-up: imports, content types, translations
    start = time.perf_counter()
    _fetch(client, arguments.path)
    print(f"{arguments.path}: {status}, {size:,} bytes, {(time.perf_counter() - start) * 1000:.0f} ms")

    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    with profiler:
        _fetch(client, arguments.path)
    print(profiler.output_text(color=False, show_all=False, short_mode=False))

    with CaptureQueriesContext(connection) as captured:
        _fetch(client, arguments.path)
    queries = captured.captured_queries
    total = sum(float(query["time"]) for query in queries) * 1000
    print(f"{len(queries)} queries, {total:.0f} ms in the database")
    for query in sorted(queries, key=lambda query: -float(query["time"]))[: arguments.explain]:
        print(f"\n-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
