"""The volume benchmark: production settings, gunicorn, 8 concurrent clients, PostgreSQL.

    .venv/bin/python -m bench.run              # full volume: 20,000 grant files (make bench)
    BENCH_SCALE=small .venv/bin/python -m bench.run   # 400 files, a few requests a page (CI)
    .venv/bin/python -m bench.run --build-only         # only the database, for bench.explain

Drops and creates its own database (`mutualisation_bench` on 127.0.0.1:5432, or
`BENCH_DATABASE_URL`), migrates it, builds the volume (`bench.volume`), starts gunicorn with 3 workers
and `config.settings.production` on a free loopback port, then drives each page with 8 keep-alive
clients. Each client alternates the page with the *floor* (`GET /api/v1/does-not-exist/`, a trivial
404), so the two are measured under the same load; the ratio is page p95 ÷ floor p95 (and ÷ the p95
of the floor measured alone, before the pages, which is what the product's 22 ms was). Exits non-zero
when a page answers another status than the expected one. Results: docs/PERFORMANCE.md.
"""

import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    # files, organisations, requests per page (lists, exports, the floor alone), seconds per page at most
    "full": {
        "files": 20_000,
        "organisations": 2_000,
        "requests": 48,
        "exports": 8,
        "floor": 800,
        "seconds": 45,
    },
    "small": {"files": 400, "organisations": 100, "requests": 8, "exports": 8, "floor": 80, "seconds": 10},
}
CLIENTS = 8
FLOOR = "/api/v1/does-not-exist/"
REVALIDATE = "If-None-Match"  # a page with this header sends back the ETag it was given: 304 expected


def _environment() -> dict[str, str]:
    database = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mutualisation_bench")
    return {
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-media-"),
    }


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Page:
    label: str
    path: str
    headers: dict[str, str]
    expected: int = 200
    export: bool = False
    durations: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    first_bytes: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    wall: float = 0.0
    alone: tuple[float, float] | None = None  # an export fetched by one client alone: first byte, total
    method: str = "GET"
    paths: list[str] | None = None  # a write: each request takes the next path (a file of its own)
    _taken: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def next_path(self) -> str | None:
        """The path of the next request: the page's own, or the next unused file of a write."""
        if self.paths is None:
            return self.path
        with self._taken:
            return self.paths.pop(0) if self.paths else None


def _get(
    connection: http.client.HTTPConnection,
    path: str,
    headers: dict[str, str],
    method: str = "GET",
    body: bytes | None = None,
):
    """One request on a kept-alive connection: (status, ms to the first body byte, total ms, bytes)."""
    start = time.perf_counter()
    connection.request(
        method,
        path,
        body=body if body is not None else (b"{}" if method == "POST" else None),
        headers=headers,
    )
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter()
    size = len(first)
    while chunk := response.read(65536):
        size += len(chunk)
    end = time.perf_counter()
    return response.status, (first_byte - start) * 1000, (end - start) * 1000, size


def _drive(port: int, page: Page, requests: int, seconds: float, *, interleave: bool = True) -> None:
    """8 clients, each alternating floor and page, until `requests` pages or `seconds` have passed
    (every client does at least one round, so n ≥ 8). Without `interleave`, only the page."""
    lock, done = threading.Lock(), [0]
    deadline = time.perf_counter() + seconds
    barrier = threading.Barrier(CLIENTS)

    def one_round(connection: http.client.HTTPConnection) -> None:
        path = page.next_path()
        if path is None:  # a write that has used up its files
            return
        if interleave:
            status, _first, total, _size = _get(connection, FLOOR, {"Host": "127.0.0.1"})
            if status != 404:
                page.wrong.append(f"floor answered {status}")
            page.floor.append(total)
        status, first, total, size = _get(connection, path, page.headers, page.method)
        if status != page.expected:
            page.wrong.append(f"answered {status}")
        page.durations.append(total)
        page.first_bytes.append(first)
        page.sizes.append(size)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        barrier.wait()
        rounds = 0
        while True:
            with lock:
                if done[0] >= requests or (rounds and time.perf_counter() > deadline):
                    break
                done[0] += 1
            rounds += 1
            try:
                one_round(connection)
            except (OSError, http.client.HTTPException) as error:  # a worker killed, a reset: a failure
                page.wrong.append(f"failed: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    page.wall = time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _report(pages: list[Page], alone: Page) -> None:
    """One line a page. `floor95` is the floor interleaved with that page (same load, so it queues
    behind the page on the 3 workers); `÷alone` divides by the floor measured on its own."""
    alone95 = percentile(alone.durations, 0.95)
    header = (
        f"{'page':<40} {'n':>4} {'p50':>8} {'p95':>8} {'max':>8} {'req/s':>6} "
        f"{'floor95':>8} {'ratio':>6} {'÷alone':>7}  export: first byte p50–p95 / total p50 / size"
    )
    print("\n" + header + "\n" + "-" * len(header))
    print(
        f"{'floor alone (8 clients, 404)':<40} {len(alone.durations):>4} "
        f"{statistics.median(alone.durations):>8.1f} {alone95:>8.1f} {max(alone.durations):>8.1f} "
        f"{len(alone.durations) / alone.wall:>6.1f}"
    )
    for page in pages:
        if not page.durations:
            continue
        p95, floor95 = percentile(page.durations, 0.95), percentile(page.floor, 0.95)
        line = (
            f"{page.label:<40} {len(page.durations):>4} {statistics.median(page.durations):>8.1f} "
            f"{p95:>8.1f} {max(page.durations):>8.1f} {len(page.durations) / page.wall:>6.1f} "
            f"{floor95:>8.1f} {p95 / floor95:>6.1f} {p95 / alone95:>7.1f}"
        )
        if page.export:
            line += (
                f"  {statistics.median(page.first_bytes):.0f}–{percentile(page.first_bytes, 0.95):.0f} ms / "
                f"{statistics.median(page.durations) / 1000:.2f} s / {statistics.median(page.sizes) / 1e6:.2f} MB"
                f"; alone: first byte {page.alone[0]:.0f} ms, total {page.alone[1] / 1000:.2f} s"
            )
        if page.wrong:
            line += f"  WRONG: {sorted(set(page.wrong))}"
        print(line, flush=True)
    print(
        "(ms; req/s counts the page only; ratio = page p95 ÷ interleaved floor p95 (same phase); "
        "÷alone = page p95 ÷ floor-alone p95)"
    )


def _setup(scale: dict) -> tuple[dict, list[tuple[str, str, dict, bool]]]:
    """Migrate, build the volume, open sessions and tokens; returns the pages to measure."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections

    from bench.mentoring_volume import measure_checks, mentoring_pages
    from bench.product_pages import api_headers, product_pages, transition_runs
    from bench.volume import PREFIX, YEAR, build_volume
    from core.pagination import WEB_PAGE_SIZE
    from grants.models import Call, GrantApplication
    from grants.workflow import State

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    # Into the settings' STATIC_ROOT (git-ignored): the manifest storage needs it to render pages.
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"migrated and collected static files in {time.perf_counter() - started:.1f} s", flush=True)
    volume = build_volume(files=scale["files"], organisations=scale["organisations"])
    counts = ", ".join(f"{count:,} {name}" for name, count in volume.counts.items())
    print(
        f"volume built in {volume.seconds:.1f} s (guarantees {volume.guarantee_seconds:.1f} s, "
        f"peer mentoring {volume.mentoring_seconds:.1f} s): {counts}",
        flush=True,
    )
    for line in measure_checks(volume):
        print(f"  {line}", flush=True)

    def web(user) -> dict[str, str]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        return {"Host": "127.0.0.1", "Cookie": cookie, "X-Forwarded-Proto": "https", "Accept-Language": "fr"}

    api = api_headers

    officer, finance = volume.staff["officer.cocof"], volume.staff["finance.cocof"]
    officer_web, officer_api, finance_web, finance_api = (
        web(officer),
        api(officer),
        web(finance),
        api(finance),
    )
    applicant_web = web(volume.applicant)
    listed = GrantApplication.objects.filter(administration__code="cocof").exclude(state=State.DRAFT).count()
    web_page, api_page = min(360, max(1, listed // WEB_PAGE_SIZE)), min(300, max(1, listed // 25))
    awarded = (
        GrantApplication.objects.filter(administration__code="cocof", state=State.IN_PROGRESS)
        .order_by("pk")
        .first()
    )
    call = Call.objects.order_by("-opens_on").first()
    file_api = f"/api/v1/grants/applications/{awarded.pk}/"
    public = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    from bench.guarantees_volume import guarantee_pages

    guarantee = guarantee_pages(officer, officer_web, officer_api, web(volume.lender))
    more = product_pages(volume, officer_web, officer_api, finance_web, finance_api)
    writes = transition_runs(volume, scale["requests"] + CLIENTS)  # the warm-up takes one a client
    connections.close_all()
    return {"listed": listed, "volume": volume, "writes": writes}, [
        ("officer /grants/applications/", "/grants/applications/", officer_web, False),
        ("officer ?sort=deadline", "/grants/applications/?sort=deadline", officer_web, False),
        (f"officer ?page={web_page}", f"/grants/applications/?page={web_page}", officer_web, False),
        ("API applications", "/api/v1/grants/applications/", officer_api, False),
        (
            f"API applications ?page={api_page}",
            f"/api/v1/grants/applications/?page={api_page}",
            officer_api,
            False,
        ),
        ("officer /work-queue/", "/work-queue/", officer_web, False),
        ("officer /search/ (words)", "/search/?q=mutualisation+partenaires", officer_web, False),
        ("officer /search/ (reference)", f"/search/?q={PREFIX}-{YEAR}-00042", officer_web, False),
        ("file page /grants/applications/<id>/", awarded.get_absolute_url(), officer_web, False),
        ("API file", file_api, officer_api, False),
        ("API file transitions/", file_api + "transitions/", officer_api, False),
        ("API file history/", file_api + "history/", officer_api, False),
        ("award letter PDF (web)", awarded.get_absolute_url() + "award-letter.pdf", officer_web, False),
        ("award letter PDF (API)", file_api + "award-letter/", officer_api, False),
        ("export applications.csv", "/grants/export/applications.csv", officer_web, True),
        ("export applications.xlsx", "/grants/export/applications.xlsx", officer_web, True),
        ("open data awards.csv", "/grants/open-data/awards.csv", public, True),
        ("open data awards.json", "/grants/open-data/awards.json", public, True),
        (
            "open data awards.json, If-None-Match",
            "/grants/open-data/awards.json",
            {**public, REVALIDATE: ""},
            False,
        ),
        ("call page /grants/calls/<id>/", f"/grants/calls/{call.pk}/", officer_web, False),
        ("finance /payments/orders/", "/payments/orders/", finance_web, False),
        ("officer home (tasks)", "/", officer_web, False),
        ("finance home (tasks)", "/", finance_web, False),
        ("finance /tasks/", "/tasks/", finance_web, False),
        ("API tasks/ (finance)", "/api/v1/tasks/", finance_api, False),
        ("applicant home (tasks)", "/", applicant_web, False),
        ("officer /dashboards/", "/dashboards/", officer_web, False),
        ("API dashboards/", "/api/v1/dashboards/", officer_api, False),
        ("API payments/orders/", "/api/v1/payments/orders/", finance_api, False),
        ("applicant /grants/applications/", "/grants/applications/", applicant_web, False),
        *mentoring_pages(volume, officer_web, officer_api, web, api),
        *guarantee,
        *more,
    ]


def _start_gunicorn(port: int, environment: dict) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--workers",
        "3",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "300",  # the unfixed exports take longer than gunicorn's default 30 s at full volume
        "--log-level",
        "warning",
    ]
    # The server's log (a "Not Found" warning per floor request) goes to a file, shown on failure.
    log_path = Path(tempfile.mkdtemp(prefix="bench-")) / "gunicorn.log"
    with log_path.open("wb") as log:  # the server keeps its own copy of the descriptor
        server = subprocess.Popen(
            command, cwd=ROOT, env=environment, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
        )
    server.log_path = log_path
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", FLOOR, headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 404:
                return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            break
    _stop(server)
    raise SystemExit("gunicorn did not start")


def _etag(port: int, path: str, headers: dict[str, str]) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", path, headers={k: v for k, v in headers.items() if k != REVALIDATE})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.headers.get("ETag", "")


def _warm_up(port: int, pages: list[tuple[str, str, dict, bool]]) -> None:
    """Three concurrent requests per page, unmeasured, so each worker has imported what it serves."""
    for _label, path, headers, _export in pages:
        _drive(port, Page("warm-up", path, headers), requests=3, seconds=0)


def _one_shots(port: int, volume) -> list[str]:
    """A SEPA export of 1,000 orders and a 1,000-row lender CSV, each sent once over HTTP (each
    changes what it touches, so they come last); a line each, with `WRONG` on another status."""
    from django.db import connections

    from bench.product_pages import lender_csv, prepare_sepa_export

    said = []
    path, headers, count = prepare_sepa_export(volume)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    status, first, total, size = _get(connection, path, headers, "POST", b"")
    said.append(
        f"SEPA export of {count:,} orders (POST, pain.001 built, XSD-validated, recorded): {total:.0f} ms, "
        f"{size / 1e6:.2f} MB" + ("" if status == 200 else f"  WRONG: answered {status}")
    )
    path, headers, body, rows = lender_csv(volume)
    status, first, total, size = _get(connection, path, headers, "POST", body)
    said.append(
        f"lender CSV of {rows:,} rows (POST multipart, validated and applied): {total:.0f} ms"
        + ("" if status == 200 else f"  WRONG: answered {status}")
    )
    connection.close()
    connections.close_all()
    return said


def _machine() -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"machine: {os.cpu_count()} cores, {memory:.0f} GiB, PostgreSQL {postgres}, "
        f"Python {sys.version.split()[0]}, Django {django.get_version()}"
    )


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> int:
    # Stopped from outside (kill, CI's time-out): still stop gunicorn, through the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scale_name = os.environ.get("BENCH_SCALE", "full")
    scale = SCALES[scale_name]
    environment = _environment()
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    _recreate_database(environment["DATABASE_URL"])
    started = time.perf_counter()
    info, pages = _setup(scale)
    if "--build-only" in sys.argv:  # leave the database for bench.explain, measure nothing
        return 0
    from bench.guarantees_volume import measure_in_process

    in_process = measure_in_process()  # exposure in SQL, the 1,000-row lender CSV (before gunicorn)
    port = _free_port()
    server = _start_gunicorn(port, {**os.environ, "PYTHONPATH": str(ROOT)})
    measured = []
    try:
        print(_machine(), flush=True)
        _warm_up(port, pages)
        alone = Page("floor alone", FLOOR, {"Host": "127.0.0.1"}, expected=404)
        _drive(port, alone, scale["floor"], scale["seconds"], interleave=False)
        print(
            f"  floor alone: n={len(alone.durations)}, p95 {percentile(alone.durations, 0.95):.1f} ms",
            flush=True,
        )
        print(
            f"gunicorn (3 workers, config.settings.production) on 127.0.0.1:{port}; {CLIENTS} clients; "
            f"scale {scale_name}; {info['listed']:,} files in the officer's list; "
            f"load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        for label, path, headers, export in pages:
            page = Page(label, path, headers, export=export)
            if REVALIDATE in headers:
                page.headers = {**headers, REVALIDATE: _etag(port, path, headers)}
                page.expected = 304
            requests = scale["exports"] if export else scale["requests"]
            _drive(port, page, requests, scale["seconds"])
            if export:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                status, first, total, _size = _get(connection, page.path, page.headers)
                connection.close()
                page.alone = (first, total)
                if status != page.expected:
                    page.wrong.append(f"answered {status} alone")
            measured.append(page)
            print(
                f"  {label}: n={len(page.durations)}, p95 {percentile(page.durations, 0.95):.0f} ms, "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        for label, paths, headers in info["writes"]:
            page = Page(label, paths[0], headers, method="POST", paths=paths)
            if len(paths) > 2 * CLIENTS:  # enough files: one a client to warm the workers up
                _drive(port, Page("warm-up", "", headers, method="POST", paths=paths), 1, 0, interleave=False)
            _drive(port, page, scale["requests"], scale["seconds"])
            measured.append(page)
            if not page.durations:
                continue
            print(
                f"  {label}: n={len(page.durations)}, p95 {percentile(page.durations, 0.95):.0f} ms",
                flush=True,
            )
        one_shots = _one_shots(port, info["volume"])
    finally:
        _stop(server)
    _report(measured, alone)
    print("\nsent once over HTTP, after the pages (no other request in flight):")
    for line in one_shots:
        print("  " + line)
    print("\nin-process (one connection, no server):")
    for line in in_process:
        print("  " + line)
    print(f"\ntotal {time.perf_counter() - started:.0f} s; load average after: {os.getloadavg()}")
    failed = [page.label for page in [alone, *measured] if page.wrong] + [
        line for line in one_shots if "WRONG" in line
    ]
    if failed:
        print(Path(server.log_path).read_text()[-5000:], file=sys.stderr)
        print(f"FAILED: unexpected status on {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
