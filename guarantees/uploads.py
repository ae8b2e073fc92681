"""The lenders' quarterly CSV upload: every row validated and reported by its line number; a bad
upload applies nothing; a re-upload of the same quarter replaces that quarter's declarations."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.selectors import membership_roles_by_organisation
from core.audit import record_event
from core.exceptions import field_errors
from core.locking import lock_rows
from core.money import to_money

from .error_codes import GuaranteeErrorCode as Code
from .models import GuaranteeRequest, LenderDeclaration
from .selectors import refresh_monitoring_flags
from .services import declaration_errors, quarter_end
from .states import RUNNING_STATES

COLUMNS = ["reference", "as_of", "outstanding_principal", "arrears_amount", "arrears_days"]
MAX_ROWS = 20000
DECLARED_FIELDS = ("as_of", "outstanding_principal", "arrears_amount", "arrears_days", "declared_by")


def template_csv(requests) -> str:
    """The template to fill: one row per running loan of the lender, with its reference."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for reference in requests:
        writer.writerow([reference, "", "", "0.00", "0"])
    return out.getvalue()


@dataclass
class Row:
    line: int
    request: GuaranteeRequest
    as_of: date
    outstanding: Decimal
    arrears_amount: Decimal
    arrears_days: int


def _decimal(text: str):
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _parse(
    content: bytes, *, quarter: date, loans: dict[str, GuaranteeRequest]
) -> tuple[list[Row], list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text.")]
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None or [column.strip().lower() for column in header[: len(COLUMNS)]] != COLUMNS:
        return [], [_("Line 1: the columns must be %(columns)s.") % {"columns": ", ".join(COLUMNS)}]
    rows, errors, seen = [], [], set()
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if number > MAX_ROWS:
            errors.append(
                _("Line %(line)s: at most %(max)s rows per upload.") % {"line": number, "max": MAX_ROWS}
            )
            break

        def error(message, line=number):
            errors.append(_("Line %(line)s: %(message)s") % {"line": line, "message": message})

        values = [value.strip() for value in values] + [""] * len(COLUMNS)
        reference, as_of_text, outstanding_text, arrears_text, days_text = values[: len(COLUMNS)]
        request = loans.get(reference)
        if reference not in loans:
            error(
                _("unknown reference %(reference)s, or not a running loan of yours.")
                % {"reference": reference or "—"}
            )
            continue
        if reference in seen:
            error(_("%(reference)s appears twice.") % {"reference": reference})
            continue
        seen.add(reference)
        try:
            as_of = date.fromisoformat(as_of_text)
        except ValueError:
            error(_("the date %(value)s is not a date (YYYY-MM-DD).") % {"value": as_of_text or "—"})
            continue
        outstanding, arrears = _decimal(outstanding_text), _decimal(arrears_text or "0")
        try:
            days = int(days_text or "0")
        except ValueError:
            days = None
        problems = []
        if outstanding is None:
            problems.append(
                _("the outstanding principal %(value)s is not a number.") % {"value": outstanding_text or "—"}
            )
        if arrears is None:
            problems.append(_("the arrears %(value)s are not a number.") % {"value": arrears_text})
        if days is None:
            problems.append(_("the days in arrears %(value)s are not a whole number.") % {"value": days_text})
        if problems:
            for problem in problems:
                error(problem)
            continue
        for messages in declaration_errors(
            request,
            quarter=quarter,
            as_of=as_of,
            outstanding=outstanding,
            arrears_amount=arrears,
            arrears_days=days,
        ).values():
            for message in messages:
                error(message)
        rows.append(Row(number, request, as_of, outstanding, arrears, days))
    if not rows and not errors:
        errors.append(_("The file has no declaration rows."))
    return rows, errors


def lender_loans_queryset(user) -> QuerySet:
    """The running loans of the lenders the user is a member of."""
    organisation_ids = list(membership_roles_by_organisation(user))
    return GuaranteeRequest.objects.filter(
        lender_id__in=organisation_ids, lender__is_financial_institution=True, state__in=RUNNING_STATES
    )


def lender_loans(user) -> dict[str, GuaranteeRequest]:
    """The running loans of the lenders the user is a member of, by reference (what an upload checks)."""
    loans = lender_loans_queryset(user)
    return {
        loan.reference: loan
        for loan in loans.only("id", "reference", "disbursed_amount", "lender_id", "state")
    }


@transaction.atomic
def upload_declarations(*, acting_user, quarter: date, content: bytes) -> dict:
    """Validate every row, then apply all of them or none (errors listed by line number)."""
    quarter = quarter.replace(month=3 * ((quarter.month - 1) // 3) + 1, day=1)
    loans = lender_loans(acting_user)
    rows, errors = _parse(content, quarter=quarter, loans=loans)
    if errors:
        raise field_errors(
            {"file": [(message, Code.BAD_UPLOAD) for message in errors]},
            code=Code.BAD_UPLOAD,
            message=_("Nothing was applied: correct the lines below and upload the file again."),
        )
    locked = {
        loan.pk: loan
        for loan in lock_rows(GuaranteeRequest.objects.filter(pk__in=[loan.pk for loan in loans.values()]))
    }
    replaced = LenderDeclaration.objects.filter(request_id__in=list(locked), quarter=quarter)
    replaced_ids = set(replaced.values_list("request_id", flat=True))
    replaced.exclude(request_id__in=[row.request.pk for row in rows]).delete()
    # Applied in bulk (what `services._save_declaration` does one loan at a time): the quarter's
    # existing declarations updated in one statement a batch, the new ones inserted likewise.
    existing = {
        declaration.request_id: declaration
        for declaration in LenderDeclaration.objects.filter(
            request_id__in=[row.request.pk for row in rows], quarter=quarter
        )
    }
    created, updated = [], []
    for row in rows:
        values = {
            "as_of": row.as_of,
            "outstanding_principal": to_money(row.outstanding),
            "arrears_amount": to_money(row.arrears_amount),
            "arrears_days": row.arrears_days,
            "declared_by": acting_user,
        }
        declaration = existing.get(row.request.pk)
        if declaration is None:
            created.append(LenderDeclaration(request=locked[row.request.pk], quarter=quarter, **values))
        else:
            for name, value in values.items():
                setattr(declaration, name, value)
            updated.append(declaration)
    LenderDeclaration.objects.bulk_create(created, batch_size=1_000)
    LenderDeclaration.objects.bulk_update(updated, [*DECLARED_FIELDS], batch_size=1_000)
    refresh_monitoring_flags(locked)  # the loans declared, and those whose declaration was withdrawn
    for row in rows:
        request = locked[row.request.pk]
        record_event(
            target=request,
            event="declaration_replaced" if request.pk in replaced_ids else "balance_declared",
            acting_user=acting_user,
            parameters={
                "quarter": quarter,
                "outstanding_principal": str(row.outstanding),
                "arrears_days": row.arrears_days,
                "upload": True,
            },
        )
    return {
        "quarter": quarter,
        "applied": len(rows),
        "replaced": len(replaced_ids & {row.request.pk for row in rows}),
        "quarter_ends": quarter_end(quarter),
    }
