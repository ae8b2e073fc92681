"""A worker killed without warning (SIGKILL: no `finally`, no rollback of its own) in the middle of a
lender's CSV import or of the fee run leaves nothing half-applied, and the work can simply be run again.

The work runs in a separate Python process on its own PostgreSQL connection; it stops at a chosen
point, says how far it got, and is killed there."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import HistoryEntry, PaymentOrder
from guarantees.fees import bill_due_fees
from guarantees.models import LenderDeclaration
from guarantees.uploads import upload_declarations
from tests.guarantees.test_fees_and_declarations import csv_of, running, this_quarter, two_loans_of_one_lender

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

# Runs in the worker: patches `target` so that its `after`-th call writes what the worker has done so
# far (seen from inside its own transaction) to the marker file, then waits to be killed.
WORKER = """
import importlib, sys, time
import django
django.setup()
from pathlib import Path

marker, module_name, name, after, work = sys.argv[1:6]
module = importlib.import_module(module_name)
original = getattr(module, name)
calls = []

def stopping(*args, **kwargs):
    result = original(*args, **kwargs)
    calls.append(1)
    if len(calls) == int(after):
        from core.models import PaymentOrder
        from guarantees.models import LenderDeclaration
        fees = PaymentOrder.objects.filter(kind=PaymentOrder.Kind.GUARANTEE_FEE)
        done = f"{LenderDeclaration.objects.count()} {fees.count()}"
        Path(marker).write_text(done)
        time.sleep(120)
    return result

setattr(module, name, stopping)
exec(work)
"""


def _worker_environment() -> dict:
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"{url}/{database['NAME']}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }


def kill_worker_midway(tmp_path: Path, *, module: str, name: str, after: int, work: str) -> str:
    """Start the worker, wait until it stops at the `after`-th call of `module.name`, SIGKILL it;
    return what it had done by then ('<declarations> <fee orders>', seen in its transaction)."""
    marker = tmp_path / "reached"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(marker), module, name, str(after), work],
        env=_worker_environment(),
        cwd=settings.BASE_DIR,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if worker.poll() is not None:
            pytest.fail(f"the worker ended before the chosen point: {worker.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            worker.kill()
            pytest.fail("the worker never reached the chosen point")
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    worker.stderr.close()
    assert worker.returncode == -signal.SIGKILL
    return marker.read_text()


def test_a_worker_killed_during_a_csv_import_leaves_no_declaration_and_the_import_can_be_run_again(
    reference_data, tmp_path
):
    first, second, lender = two_loans_of_one_lender()
    today = timezone.localdate().isoformat()
    content = csv_of(
        f"{first.reference},{today},90000.00,0,0", f"{second.reference},{today},88000,1200.50,35"
    )
    work = (
        "from accounts.models import User; from guarantees.uploads import upload_declarations; "
        f"from datetime import date; upload_declarations(acting_user=User.objects.get(pk={lender.pk}), "
        f"quarter=date.fromisoformat('{this_quarter().isoformat()}'), content={content!r})"
    )

    # Killed after both declarations were written and the first history row, before the commit.
    done = kill_worker_midway(tmp_path, module="guarantees.uploads", name="record_event", after=1, work=work)

    assert done.split()[0] == "2"  # inside its transaction, the worker had written both
    assert not LenderDeclaration.objects.exists()
    assert not HistoryEntry.objects.filter(transition="balance_declared").exists()
    outcome = upload_declarations(acting_user=lender, quarter=this_quarter(), content=content)
    assert outcome["applied"] == 2
    assert HistoryEntry.objects.filter(transition="balance_declared").count() == 2


def test_a_worker_killed_during_the_fee_run_leaves_each_period_billed_once_or_not_at_all(
    reference_data, tmp_path
):
    request = running()
    started = request.fee_periods.filter(starts_on__lte=timezone.localdate()).count()
    assert started == 3

    # Killed inside the second period's transaction, once its payment order was created.
    done = kill_worker_midway(
        tmp_path,
        module="guarantees.fees",
        name="create_payment_order",
        after=2,
        work="from guarantees.fees import bill_due_fees; bill_due_fees()",
    )

    assert done.split()[1] == "2"  # the worker had created two orders, the second one uncommitted
    fees = PaymentOrder.objects.filter(kind=PaymentOrder.Kind.GUARANTEE_FEE)
    assert fees.count() == 1
    assert request.fee_periods.filter(billed_at__isnull=False).count() == 1
    assert bill_due_fees() == started - 1
    billed = request.fee_periods.filter(billed_at__isnull=False)
    assert billed.count() == started
    assert sorted(billed.values_list("payment_order", flat=True)) == sorted(fees.values_list("pk", flat=True))
