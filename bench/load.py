"""Sustained mixed load (issue 10, §2): Locust, headless, on loopback, for a bounded time, against
gunicorn (3 workers, production settings) on the benchmark's volume database.

    .venv/bin/python -m bench.load                  # builds the volume, then 10 minutes, 16 users
    .venv/bin/python -m bench.load --reuse          # on the database the last `make bench` left
    LOAD_MINUTES=2 LOAD_USERS=16 .venv/bin/python -m bench.load --reuse

16 simulated people (`bench/locustfile.py`): applicants complete and submit drafts, officers take
submitted grant and guarantee files into screening, lenders upload quarterly declarations, mentors
submit hours, finance approves payment orders and exports SEPA files. Afterwards it reports, per
action, requests, throughput and p50/p95, and checks:

- no server error (any 5xx, or an unexpected status, fails the run);
- no lost update: each transition the server accepted is in the history exactly once, no history
  row of those transitions appeared without an accepted answer, and each file is in the state its
  last accepted transition left it in;
- the workers' memory (resident set) grew by less than `MEMORY_BOUND_MB` between the first minute
  and the end.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY_BOUND_MB = 60


def _prepare(host: str) -> dict:
    """Tokens and work items from the volume database (before the server starts)."""
    from decimal import Decimal

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import Membership, User
    from core.models import PaymentOrder
    from grants.models import GrantApplication
    from guarantees.models import GuaranteeRequest
    from guarantees.uploads import lender_loans_queryset
    from peer_mentoring.models import HoursDeclaration

    def token(user) -> str:
        return Token.objects.get_or_create(user=user)[0].key

    owners = {m.organisation_id: m.user for m in Membership.objects.select_related("user")}
    from django.db.models import Sum

    # The applicant completes the draft: the missing choices, and a requested amount within its budget.
    drafts = [
        {
            "pk": pk,
            "token": token(owners[lead]),
            "requested_amount": str(
                min(requested or budget, (budget * Decimal("0.9")).quantize(Decimal("0.01")))
            ),
        }
        for pk, lead, requested, budget in GrantApplication.objects.filter(
            state="draft", lead_organisation_id__in=list(owners)
        )
        .annotate(budget=Sum("budget_lines__amount"))
        .filter(budget__gt=0)
        .order_by("pk")
        .values_list("pk", "lead_organisation_id", "requested_amount", "budget")[:300]
    ]
    officers = {
        code: User.objects.get(email=f"officer.{code}@bench.example") for code in ("cocof", "iriscare")
    }
    submitted = [
        {"kind": "grant", "pk": pk, "token": token(officers[code])}
        for pk, code in GrantApplication.objects.filter(state="submitted")
        .order_by("pk")
        .values_list("pk", "administration__code")[:600]
    ] + [
        {"kind": "guarantee", "pk": pk, "token": token(officers[code])}
        for pk, code in GuaranteeRequest.objects.filter(state="submitted")
        .order_by("pk")
        .values_list("pk", "administration__code")[:200]
    ]
    hours = [
        {"pk": pk, "token": token(owners[mentor])}
        for pk, mentor in HoursDeclaration.objects.filter(
            state="draft", agreement__mentor_id__in=list(owners)
        )
        .order_by("pk")
        .values_list("pk", "agreement__mentor_id")
    ]
    finance = {
        code: User.objects.get(email=f"finance.{code}@bench.example") for code in ("cocof", "iriscare")
    }
    orders = [
        {"pk": pk, "token": token(finance[code])}
        for pk, code in PaymentOrder.objects.filter(state="pending")
        .exclude(created_by__in=list(finance.values()))
        .exclude(kind__in=PaymentOrder.RECEIVABLE_KINDS)
        .order_by("pk")
        .values_list("pk", "administration__code")[:800]
    ]
    lender = User.objects.get(email="lender@bench.example")
    loans = lender_loans_queryset(lender).values_list("reference", "disbursed_amount")
    mentor = User.objects.get(email="mentor@bench.example")
    applicants = User.objects.filter(email__startswith="applicant").order_by("pk")[:50]
    return {
        "host": host,
        "pools": {"drafts": drafts, "submitted": submitted, "hours": hours, "orders": orders},
        "pools_snapshot": {"drafts": drafts},
        "draft_completion": {
            "initiative_legal_form": "agreement",
            "expected_effects": "Des fonctions support partagées entre associations.",
            "axes": ["support_functions"],
            "types": ["hr_support"],
            "logics": ["managerial"],
        },
        "applicants": [{"token": token(user)} for user in applicants],
        "officers": [token(user) for user in officers.values()],
        "cocof_officer": token(officers["cocof"]),
        "officer_files": list(
            GrantApplication.objects.filter(administration__code="cocof")
            .exclude(state="draft")  # a draft is its applicant's own: staff do not see it
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        ),
        "lender": {
            "token": token(lender),
            "as_of": timezone.localdate().isoformat(),
            "rows": [
                {
                    "reference": reference,
                    "outstanding": str((amount * Decimal("0.8")).quantize(Decimal("0.01"))),
                }
                for reference, amount in loans
            ],
        },
        "mentor_token": token(mentor),
        "finance": [token(user) for user in finance.values()],
        "finance_exports": [[token(user), code] for code, user in finance.items()],
    }


def _rss_mb(server_pid: int) -> dict[int, float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(server_pid) and "VmRSS" in fields:
            found[int(entry.name)] = int(fields["VmRSS"].split()[0]) / 1024
    return found


def _check_history(accepted: list[dict], started) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    from core.models import HistoryEntry, PaymentOrder
    from grants.models import GrantApplication
    from guarantees.models import GuaranteeRequest
    from peer_mentoring.models import HoursDeclaration

    models = {
        "grant": GrantApplication,
        "guarantee": GuaranteeRequest,
        "declaration": HoursDeclaration,
        "order": PaymentOrder,
    }
    problems = []
    answered = Counter((item["kind"], item["pk"], item["transition"]) for item in accepted)
    for kind, model in models.items():
        content_type = ContentType.objects.get_for_model(model)
        names = {transition for (k, _pk, transition) in answered if k == kind}
        if not names:
            continue
        written = Counter(
            (kind, pk, transition)
            for pk, transition in HistoryEntry.objects.filter(
                content_type=content_type, at__gte=started, transition__in=names
            ).values_list("object_id", "transition")
        )
        mine = {key: count for key, count in answered.items() if key[0] == kind}
        for key, count in mine.items():
            if count != 1 or written.get(key, 0) != 1:
                problems.append(f"{key}: accepted {count}×, in the history {written.get(key, 0)}×")
        for key in set(written) - set(mine):
            problems.append(f"{key}: in the history, never accepted")
        last_target = dict(  # each file's last state in the history since the start
            HistoryEntry.objects.filter(content_type=content_type, at__gte=started)
            .order_by("at", "id")
            .values_list("object_id", "target_state")
        )
        states = dict(model.objects.filter(pk__in=list(last_target)).values_list("pk", "state"))
        for pk, target in last_target.items():
            if states.get(pk) != target:
                problems.append(f"{kind} {pk}: in state {states.get(pk)}, its history ends in {target}")
    return problems


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from bench import run

    minutes = float(os.environ.get("LOAD_MINUTES", "10"))
    users = int(os.environ.get("LOAD_USERS", "16"))
    environment = run._environment()
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    if "--reuse" not in sys.argv:
        run._recreate_database(environment["DATABASE_URL"])
        run._setup(run.SCALES["full"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    call_command("migrate", verbosity=0)  # a reused database may predate the latest migrations

    port = run._free_port()
    host = f"http://127.0.0.1:{port}"
    work_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    work_file, accepted_file = work_dir / "work.json", work_dir / "accepted.jsonl"
    work = _prepare(host)
    work_file.write_text(json.dumps(work))
    accepted_file.touch()
    connections.close_all()
    print(
        f"work: {len(work['pools']['drafts'])} drafts, {len(work['pools']['submitted'])} submitted files, "
        f"{len(work['pools']['hours'])} hours declarations, {len(work['pools']['orders'])} orders, "
        f"{len(work['lender']['rows'])} loans",
        flush=True,
    )
    started = timezone.now()
    server = run._start_gunicorn(port, {**os.environ, "PYTHONPATH": str(ROOT)})
    samples: list[dict[int, float]] = []
    stop = threading.Event()

    def sample():
        while not stop.wait(15):
            samples.append(_rss_mb(server.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        sampler.start()
        command = [
            str(ROOT / ".venv/bin/locust"),
            "-f",
            str(ROOT / "bench/locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            "4",
            "--run-time",
            f"{int(minutes * 60)}s",
            "--csv",
            str(work_dir / "stats"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        locust = subprocess.run(
            command,
            env={**os.environ, "LOAD_WORK": str(work_file), "LOAD_ACCEPTED": str(accepted_file)},
            cwd=ROOT,
        )
    finally:
        stop.set()
        run._stop(server)
    print(f"\nLocust exit code {locust.returncode}; {users} users, {minutes:g} minutes, {host}")
    with open(work_dir / "stats_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"\n{'action':44} {'requests':>9} {'failures':>9} {'req/s':>7} {'p50':>6} {'p95':>6} {'max':>7}")
    failures = 0
    for row in rows:
        label = row["Name"] if row["Name"] != "Aggregated" else "all actions"
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(
            f"{label:44} {row['Request Count']:>9} {row['Failure Count']:>9} {float(row['Requests/s']):7.1f} "
            f"{row['50%']:>6} {row['95%']:>6} {float(row['Max Response Time']):7.0f}"
        )
    failure_lines = (work_dir / "stats_failures.csv").read_text(encoding="utf-8").splitlines()[1:]
    for line in failure_lines[:20]:
        print("  failure:", line[:300])
    accepted = [json.loads(line) for line in accepted_file.read_text().splitlines() if line]
    problems = _check_history(accepted, started)
    kinds = Counter((item["kind"], item["transition"]) for item in accepted)
    print(
        f"\naccepted transitions: {sum(kinds.values())} ({', '.join(f'{k} {t}: {n}' for (k, t), n in sorted(kinds.items()))})"
    )
    print(f"lost or doubled updates: {len(problems)}")
    for problem in problems[:20]:
        print("  ", problem)
    growth = 0.0
    if len(samples) >= 3:
        first, last = samples[min(3, len(samples) - 1)], samples[-1]  # after the first minute
        growth = max((last[pid] - first[pid] for pid in last if pid in first), default=0.0)
        print(
            f"workers' memory: {', '.join(f'{v:.0f}' for v in first.values())} MB after a minute, "
            f"{', '.join(f'{v:.0f}' for v in last.values())} MB at the end; largest growth {growth:.1f} MB "
            f"(bound {MEMORY_BOUND_MB} MB)"
        )
    ok = failures == 0 and not problems and growth < MEMORY_BOUND_MB and locust.returncode in (0, 1)
    print("\nPASSED" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
