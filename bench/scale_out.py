"""The scale-out drill (issue 10, docs/RELIABILITY.md §9): two gunicorn instances on one PostgreSQL,
documents on an S3-compatible object store (moto's server, through django-storages), background work
in a separate `db_worker` process — checked over real HTTP.

    .venv/bin/python -m bench.scale_out                      # prints each check; exit status 1 if one fails
    .venv/bin/python -m bench.scale_out --json results.json  # also writes the checks as JSON

It drops and creates its own database (`mutualisation_drill` on 127.0.0.1:5432, or
`DRILL_DATABASE_URL`), migrates it, creates the cache table and loads the demo data (with the
development settings: the production ones refuse demo data) plus `KILL_BATCH` submitted Cocof grant
files. Then it starts moto's S3 server on loopback and creates a private bucket, two gunicorn
instances A and B (2 workers each, `config.settings.production`, documents in the bucket, an empty
local media directory) and `manage.py db_worker` with the production task backend. Both instances
are addressed under one host name, as behind a load balancer. Static assets use Django's plain
storage (`DJANGO_STATIC_STORAGE`): compressing them all takes minutes on two cores and no check
reads one. The checks:

- both instances are ready (`/health/ready/`: database, cache, the S3 storage, the task queue);
- a document uploaded through A downloads through B byte for byte; it is in the bucket, private,
  and not on local disk;
- a session opened on A is signed in on B;
- failed logins for one address, three on A and three on B, trip the shared login throttle: the
  sixth and the right password afterwards are refused on both;
- a transition taken on A is seen at once on B (state and history);
- the e-mails that transition enqueued are sent by the `db_worker` process;
- SIGKILL of instance A while `KILL_BATCH` transitions are in flight: each acknowledged one is
  applied once (state and one history row, read through B), each unanswered one either applied
  once or not at all, and taking the unanswered ones again on B leaves every file applied once.

Every process it started is stopped and the database dropped at the end, also on failure.
"""

import argparse
import dataclasses
import hashlib
import io
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import requests

from bench.run import _free_port, _recreate_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "demo-password-2026"
APPLICANT, OFFICER = "applicant@demo.example", "officer.cocof@demo.example"
THROTTLED_ADDRESS = "colleague@demo.example"
THROTTLED = "Too many failed login attempts"
BUCKET, REGION = "mutualisation-drill", "eu-west-1"
HOST = "127.0.0.1"  # the one host name both instances answer to, as behind a load balancer
KILL_BATCH, KILL_AFTER, KILL_CLIENTS = 24, 8, 8  # transitions fired at A; A dies at the 8th answer
TASK_WAIT_SECONDS = 30


@dataclasses.dataclass
class Check:
    key: str  # what the test looks it up by
    name: str
    passed: bool
    figures: str


class Browser:
    """A person's HTTP client on one instance. The production cookies are `Secure` and the drill
    speaks plain HTTP on loopback behind a pretend TLS proxy (`X-Forwarded-Proto: https`): it sends
    its cookies itself (requests drops secure cookies on http, whatever the jar's policy)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Host": HOST,
                "X-Forwarded-Proto": "https",
                "Origin": f"https://{HOST}",  # the CSRF check compares it with the host
                "Accept-Language": "en",
            }
        )
        for name, value in (cookies or {}).items():
            self.session.cookies.set(name, value, domain=HOST, path="/")

    def cookies(self) -> dict[str, str]:
        return {cookie.name: cookie.value for cookie in self.session.cookies}

    def on(self, port: int) -> "Browser":
        """The same person (the same cookies) on another instance."""
        return Browser(port, self.cookies())

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies().items())}

    def get(self, path: str, **kwargs) -> requests.Response:
        headers = {**self._headers(), **kwargs.pop("headers", {})}
        return self.session.get(
            self.base + path, allow_redirects=False, timeout=30, headers=headers, **kwargs
        )

    def post(self, path: str, **kwargs) -> requests.Response:
        headers = {
            **self._headers(),
            "X-CSRFToken": self.session.cookies.get("csrftoken", ""),
            **kwargs.pop("headers", {}),
        }
        return self.session.post(
            self.base + path, allow_redirects=False, timeout=30, headers=headers, **kwargs
        )

    def log_in(self, email: str, password: str = PASSWORD) -> requests.Response:
        self.get("/auth/login/")  # the CSRF cookie
        return self.post(
            "/auth/login/",
            data={
                "login": email,
                "password": password,
                "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""),
            },
        )


# -- processes ----------------------------------------------------------------------------------------


def _start(label: str, command: list[str], environment: dict, logs: Path) -> subprocess.Popen:
    with (logs / f"{label}.log").open("wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
        )
    process.label, process.log_path = label, logs / f"{label}.log"
    return process


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


def _wait_until_answering(url: str, process: subprocess.Popen, headers: dict | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            requests.get(url, headers=headers or {}, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    tail = process.log_path.read_text(errors="replace")[-2000:]
    raise SystemExit(f"{process.label} did not start:\n{tail}")


def _gunicorn(label: str, port: int, environment: dict, logs: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    return _start(label, [*command, "--log-level", "warning"], environment, logs)


def _wait_until_live(server: subprocess.Popen, port: int) -> None:
    _wait_until_answering(
        f"http://127.0.0.1:{port}/health/live/", server, {"Host": HOST, "X-Forwarded-Proto": "https"}
    )


# -- set-up, in this process with the development settings ------------------------------------------------


def _prepare_database() -> dict:
    """Migrate, load the demo data and the batch of submitted files; the ids the checks use."""
    import django

    django.setup()
    from django.core.management import call_command

    from grants.demo import FILES, OPEN_CALL_TITLE_FR, _create
    from grants.models import Call, GrantApplication

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    migrated = time.perf_counter()
    call_command("load_demo_data", stdout=io.StringIO())
    loaded = time.perf_counter()
    submitted = next(demo for demo in FILES if demo.steps == ["submit"] and demo.administration == "cocof")
    call = Call.objects.get(title_fr=OPEN_CALL_TITLE_FR)
    batch = [
        _create(dataclasses.replace(submitted, title=f"Exercice de montée en charge {n}"), call).pk
        for n in range(1, KILL_BATCH + 1)
    ]
    applications = GrantApplication.objects.exclude(pk__in=batch)
    return {
        "seconds": (migrated - started, loaded - migrated, time.perf_counter() - loaded),
        "draft": applications.filter(state="draft", lead_organisation__memberships__user__email=APPLICANT)
        .values_list("pk", flat=True)
        .first(),
        "submitted": applications.filter(state="submitted", administration__code="cocof")
        .values_list("pk", flat=True)
        .first(),
        "batch": batch,
    }


def _server_environment(database_url: str, s3_url: str, media: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "AWS_")) and key != "PYTEST_CURRENT_TEST"
    }
    return {
        **environment,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "drill-" + secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # loopback behind a pretend TLS proxy
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",  # into the worker's log
        "DJANGO_S3_BUCKET": BUCKET,
        "DJANGO_S3_ENDPOINT_URL": s3_url,
        "DJANGO_S3_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "drill",
        "AWS_SECRET_ACCESS_KEY": "drill-secret",
    }


def _s3_client(s3_url: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_url,
        region_name=REGION,
        aws_access_key_id="drill",
        aws_secret_access_key="drill-secret",
    )


# -- the checks -----------------------------------------------------------------------------------------


def check_readiness(a: int, b: int) -> Check:
    answers = {}
    for label, port in (("A", a), ("B", b)):
        response = Browser(port).get("/health/ready/")
        answers[label] = (response.status_code, response.json().get("checks", {}))
    passed = all(status == 200 and checks.get("storage") == "ok" for status, checks in answers.values())
    figures = "; ".join(
        f"{label} {status} ({', '.join(f'{k} {v}' for k, v in checks.items())})"
        for label, (status, checks) in answers.items()
    )
    return Check("readiness", "both instances are ready, the S3 storage included", passed, figures)


def _pdf(token: str) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in range(1, 21):
        pdf.drawString(72, 720, f"Statuts - exercice de montee en charge {token}, page {page}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def check_document(applicant_on_a: Browser, b: int, draft: int, s3, media: Path) -> Check:
    from core.models import Document

    content = _pdf(secrets.token_hex(8))
    upload = applicant_on_a.post(
        f"/api/v1/grants/applications/{draft}/documents/",
        data={"document_type": "statutes"},
        files={"file": ("statuts-drill.pdf", content, "application/pdf")},
    )
    if upload.status_code != 201:
        return Check(
            "document", "a document uploaded on A downloads on B", False, f"upload on A: {upload.status_code}"
        )
    document = Document.objects.get(pk=upload.json()["id"])
    started = time.perf_counter()
    download = applicant_on_a.on(b).get(f"/grants/applications/{draft}/documents/{document.pk}/")
    took = (time.perf_counter() - started) * 1000
    stored = s3.head_object(Bucket=BUCKET, Key=document.content.name)
    grants = s3.get_object_acl(Bucket=BUCKET, Key=document.content.name)["Grants"]
    public = [g for g in grants if g["Grantee"].get("Type") == "Group"]  # AllUsers, AuthenticatedUsers
    on_disk = [path for path in media.rglob("*") if path.is_file()]
    same = download.status_code == 200 and download.content == content
    passed = same and stored["ContentLength"] == len(content) and not public and not on_disk
    return Check(
        "document",
        "a document uploaded on A downloads on B byte for byte, from the bucket",
        passed,
        f"{len(content):,} bytes, upload on A 201, download on B {download.status_code} in {took:.0f} ms "
        f"(Content-Length {download.headers.get('Content-Length')}), identical: {same} "
        f"(sha256 {hashlib.sha256(download.content).hexdigest()[:12]}…); s3://{BUCKET}/"
        f"{document.content.name} {stored['ContentLength']:,} bytes, public grants {len(public)}; "
        f"files on local disk {len(on_disk)}",
    )


def check_session(applicant_on_a: Browser, b: int, draft: int) -> Check:
    signed_in = applicant_on_a.on(b).get(f"/grants/applications/{draft}/")
    anonymous = Browser(b).get(f"/grants/applications/{draft}/")
    passed = signed_in.status_code == 200 and APPLICANT in signed_in.text and anonymous.status_code == 302
    return Check(
        "session",
        "a session opened on A is signed in on B",
        passed,
        f"the applicant's draft on B with A's session cookie: {signed_in.status_code}; "
        f"without it: {anonymous.status_code} to {anonymous.headers.get('Location', '')}",
    )


def check_login_throttle(a: int, b: int) -> Check:
    attempts = []
    for port, label in [(a, "A")] * 3 + [(b, "B")] * 3:
        response = Browser(port).log_in(THROTTLED_ADDRESS, "wrong-password-2026")
        attempts.append((label, response.status_code, THROTTLED in response.text))
    right = []
    for port, label in ((a, "A"), (b, "B")):
        browser = Browser(port)
        response = browser.log_in(THROTTLED_ADDRESS)
        right.append(
            (label, response.status_code, THROTTLED in response.text, "sessionid" in browser.cookies())
        )
    passed = [throttled for _label, _status, throttled in attempts] == [False] * 5 + [True] and all(
        throttled and not session for _label, _status, throttled, session in right
    )
    described = ", ".join(
        f"{label} {status}{' throttled' if throttled else ''}" for label, status, throttled in attempts
    )
    then = ", ".join(
        f"{label} {status}{' throttled' if throttled else ''}{', signed in' if session else ''}"
        for label, status, throttled, session in right
    )
    return Check(
        "throttle",
        "failed logins split across A and B trip one login throttle",
        passed,
        f"wrong password: {described}; then the right password: {then}",
    )


def _state_and_screenings(officer: Browser, pk: int) -> tuple[str, int]:
    state = officer.get(f"/api/v1/grants/applications/{pk}/").json()["state"]
    history = officer.get(f"/api/v1/grants/applications/{pk}/history/").json()
    return state, sum(entry["transition"] == "start_screening" for entry in history)


def check_transition(officer_on_a: Browser, b: int, pk: int) -> Check:
    taken = officer_on_a.post(f"/api/v1/grants/applications/{pk}/transitions/start_screening/", json={})
    answered = time.perf_counter()
    state, screenings = _state_and_screenings(officer_on_a.on(b), pk)  # at once: no wait, no retry
    read = (time.perf_counter() - answered) * 1000
    passed = taken.status_code == 200 and state == "screening" and screenings == 1
    return Check(
        "transition",
        "a transition taken on A is seen at once on B",
        passed,
        f"start_screening on A {taken.status_code}; read on B right after it (the file and its "
        f"history, {read:.0f} ms): state {state}, start_screening in the history {screenings}×",
    )


def check_worker(since, pk: int, worker: subprocess.Popen) -> Check:
    from django_tasks_db.models import DBTaskResult

    from core.models import Notification
    from grants.models import GrantApplication

    deadline = time.monotonic() + TASK_WAIT_SECONDS
    while True:
        tasks = list(
            DBTaskResult.objects.filter(
                enqueued_at__gte=since, task_path__endswith="send_notification_email"
            ).values("status", "enqueued_at", "finished_at", "worker_ids")
        )
        if tasks and all(task["status"] == "SUCCESSFUL" for task in tasks) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    link = GrantApplication.objects.get(pk=pk).get_absolute_url()
    notifications = Notification.objects.filter(created_at__gte=since, link=link)
    emailed = notifications.filter(emailed_at__isnull=False).count()
    waits = [
        (task["finished_at"] - task["enqueued_at"]).total_seconds() for task in tasks if task["finished_at"]
    ]
    workers = {worker_id for task in tasks for worker_id in task["worker_ids"]}
    passed = (
        bool(tasks)
        and all(task["status"] == "SUCCESSFUL" for task in tasks)
        and emailed == notifications.count()
    )
    return Check(
        "worker",
        "the e-mails a request on A enqueued are sent by the db_worker",
        passed,
        f"{len(tasks)} send_notification_email tasks, statuses {sorted({t['status'] for t in tasks})}, "
        f"enqueued to finished in at most {max(waits, default=0):.1f} s, by worker {', '.join(sorted(workers))} "
        f"(pid {worker.pid}); notifications e-mailed {emailed}/{notifications.count()}",
    )


def check_kill(officer_on_a: Browser, a_server: subprocess.Popen, b: int, batch: list[int]) -> Check:
    cookies = officer_on_a.cookies()
    port_a = int(urlsplit(officer_on_a.base).port)
    answers: dict[int, int | str] = {}
    lock, killed = threading.Lock(), threading.Event()

    def take(pk: int) -> None:
        try:
            status = (
                Browser(port_a, cookies)
                .post(f"/api/v1/grants/applications/{pk}/transitions/start_screening/", json={})
                .status_code
            )
        except requests.RequestException as error:
            status = type(error).__name__
        with lock:
            answers[pk] = status
            acknowledged = sum(isinstance(s, int) and 200 <= s < 300 for s in answers.values())
            if acknowledged >= KILL_AFTER and not killed.is_set():
                os.killpg(a_server.pid, signal.SIGKILL)
                killed.set()

    with ThreadPoolExecutor(KILL_CLIENTS) as pool:
        list(pool.map(take, batch))
    killed_mid_batch = killed.is_set()
    if not killed_mid_batch:  # fewer answers than expected: the check fails, A still goes
        os.killpg(a_server.pid, signal.SIGKILL)
    a_server.wait(timeout=15)
    officer_on_b = Browser(b, cookies)
    acknowledged = [pk for pk in batch if isinstance(answers[pk], int) and 200 <= answers[pk] < 300]
    unanswered = [pk for pk in batch if pk not in acknowledged]
    after_kill = {pk: _state_and_screenings(officer_on_b, pk) for pk in batch}
    lost = [pk for pk in acknowledged if after_kill[pk] != ("screening", 1)]
    applied = [pk for pk in unanswered if after_kill[pk] == ("screening", 1)]
    not_applied = [pk for pk in unanswered if after_kill[pk] == ("submitted", 0)]
    half = [pk for pk in unanswered if pk not in applied and pk not in not_applied]
    retried = {
        pk: officer_on_b.post(
            f"/api/v1/grants/applications/{pk}/transitions/start_screening/", json={}
        ).status_code
        for pk in unanswered
    }
    expected_retry = {pk: 409 if pk in applied else 200 for pk in unanswered}
    finally_once = [pk for pk in batch if _state_and_screenings(officer_on_b, pk) == ("screening", 1)]
    b_ready = Browser(b).get("/health/ready/").status_code
    passed = (
        killed_mid_batch
        and a_server.returncode == -signal.SIGKILL
        and bool(unanswered)
        and not lost
        and not half
        and retried == expected_retry
        and len(finally_once) == len(batch)
        and b_ready == 200
    )
    errors = sorted({str(s) for pk, s in answers.items() if pk in unanswered})
    return Check(
        "kill",
        "SIGKILL of A mid-batch loses nothing acknowledged and half-applies nothing",
        passed,
        f"{len(batch)} start_screening at A by {KILL_CLIENTS} clients, SIGKILL after the {KILL_AFTER}th answer "
        f"(A exit {a_server.returncode}); acknowledged {len(acknowledged)}, lost or doubled {len(lost)}; "
        f"unanswered {len(unanswered)} ({', '.join(errors)}): applied once {len(applied)}, not applied "
        f"{len(not_applied)}, half-applied {len(half)}; taken again on B: "
        f"{sum(s == 200 for s in retried.values())} × 200, {sum(s == 409 for s in retried.values())} × 409 "
        f"(as expected: {retried == expected_retry}); every file once in screening: "
        f"{len(finally_once)}/{len(batch)}; B ready afterwards: {b_ready}",
    )


# -- the drill ------------------------------------------------------------------------------------------


def check_store_down(applicant: Browser, b: int, draft: int, moto: subprocess.Popen) -> Check:
    """The object store stops: B says it is not ready, an upload is refused as not stored and leaves
    nothing behind, and the rest of the application is still served."""
    from core.models import Document, HistoryEntry

    _stop(moto)
    documents, history = Document.objects.count(), HistoryEntry.objects.count()
    started = time.perf_counter()
    upload = applicant.on(b).post(
        f"/api/v1/grants/applications/{draft}/documents/",
        data={"document_type": "budget"},
        files={"file": ("budget-drill.pdf", _pdf(secrets.token_hex(8)), "application/pdf")},
    )
    took = (time.perf_counter() - started) * 1000
    code = (
        upload.json().get("errors", {}).get("file", [{}])[0].get("code") if upload.status_code == 400 else ""
    )
    ready = Browser(b).get("/health/ready/")
    page = applicant.on(b).get(f"/grants/applications/{draft}/")
    left = (Document.objects.count() - documents, HistoryEntry.objects.count() - history)
    passed = (
        upload.status_code == 400
        and code == "document_not_stored"
        and left == (0, 0)
        and ready.status_code == 503
        and ready.json().get("checks", {}).get("storage") != "ok"
        and page.status_code == 200
    )
    return Check(
        "store_down",
        "with the object store stopped, an upload is refused as not stored and nothing is left behind",
        passed,
        f"moto stopped; upload on B {upload.status_code} `{code}` in {took:.0f} ms; new documents "
        f"{left[0]}, new history rows {left[1]}; B's readiness {ready.status_code} "
        f"({ready.json().get('checks', {})}); the draft's page on B {page.status_code}",
    )


def run_drill(database_url: str) -> list[Check]:
    """Set up, start the processes, run every check; always stops them and drops the database."""
    logs = Path(tempfile.mkdtemp(prefix="scale-out-"))
    media = logs / "media"
    media.mkdir()
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # The set-up's many small commits need not wait for the disk; the servers use the default.
            "DATABASE_PG_OPTIONS": "-c jit=off -c synchronous_commit=off",
        }
    )
    sys.path.insert(0, str(ROOT))
    checks: list[Check] = []
    _recreate_database(database_url)
    with ExitStack() as cleanup:
        cleanup.callback(_drop_database, database_url)
        prepared = _prepare_database()
        print(
            f"database {urlsplit(database_url).path.lstrip('/')}: migrated in {prepared['seconds'][0]:.1f} s, "
            f"demo data loaded in {prepared['seconds'][1]:.1f} s, {KILL_BATCH} more submitted files in "
            f"{prepared['seconds'][2]:.1f} s",
            flush=True,
        )
        s3_port, port_a, port_b = _free_port(), _free_port(), _free_port()
        s3_url = f"http://127.0.0.1:{s3_port}"
        environment = _server_environment(database_url, s3_url, media)
        processes: list[subprocess.Popen] = []
        cleanup.callback(lambda: [_stop(process) for process in reversed(processes)])
        moto = _start(
            "moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], environment, logs
        )
        processes.append(moto)
        _wait_until_answering(s3_url, moto)
        s3 = _s3_client(s3_url)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        started = time.perf_counter()
        server_a = _gunicorn("gunicorn-a", port_a, environment, logs)
        processes.append(server_a)
        server_b = _gunicorn("gunicorn-b", port_b, environment, logs)
        processes.append(server_b)
        worker = _start(
            "db_worker",
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
            environment,
            logs,
        )
        processes.append(worker)
        _wait_until_live(server_a, port_a)
        _wait_until_live(server_b, port_b)
        print(
            f"moto S3 on :{s3_port} (bucket {BUCKET}), gunicorn A on :{port_a} and B on :{port_b} "
            f"(2 workers each, config.settings.production), db_worker pid {worker.pid}; "
            f"started in {time.perf_counter() - started:.1f} s; logs in {logs}",
            flush=True,
        )

        def record(key: str, check, *arguments) -> None:
            """Run one check; one that crashes fails, and the drill goes on to the next."""
            try:
                check = check(*arguments)
            except Exception as error:
                check = Check(key, key, False, f"crashed: {type(error).__name__}: {error}")
            checks.append(check)
            print(f"{'PASS' if check.passed else 'FAIL'}  {check.name}: {check.figures}", flush=True)

        from django.utils import timezone

        record("readiness", check_readiness, port_a, port_b)
        applicant = Browser(port_a)
        applicant.log_in(APPLICANT)
        record("document", check_document, applicant, port_b, prepared["draft"], s3, media)
        record("session", check_session, applicant, port_b, prepared["draft"])
        record("throttle", check_login_throttle, port_a, port_b)
        officer = Browser(port_a)
        officer.log_in(OFFICER)
        since = timezone.now()
        record("transition", check_transition, officer, port_b, prepared["submitted"])
        record("worker", check_worker, since, prepared["submitted"], worker)
        record("kill", check_kill, officer, server_a, port_b, prepared["batch"])
        record("store_down", check_store_down, applicant, port_b, prepared["draft"], moto)
    return checks


def _drop_database(database_url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(database_url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still clean up, through the ExitStack
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the checks to this file")
    arguments = parser.parse_args()
    database_url = os.environ.get(
        "DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mutualisation_drill"
    )
    started = time.perf_counter()
    checks = run_drill(database_url)
    passed = sum(check.passed for check in checks)
    print(f"\n{passed}/{len(checks)} checks passed in {time.perf_counter() - started:.0f} s", flush=True)
    if arguments.json:
        arguments.json.write_text(json.dumps([dataclasses.asdict(check) for check in checks], indent=2))
    return 0 if checks and passed == len(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
