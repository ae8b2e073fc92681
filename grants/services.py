"""Every write on grants that is not drafting: the effects the transitions declare (submission,
award within the envelope, acceptance and its advance, lapse, settlement) and the reviews and
reports. Effects are called by `core.workflow.perform_transition` inside its transaction, with the
file already locked, as `effect(file=..., acting_user=..., **parameters)`."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_event
from core.exceptions import field_errors
from core.locking import lock_file, lock_row
from core.models import PaymentOrder
from core.money import format_money
from core.payments import create_payment_order, payment_orders_of
from core.permissions import require
from core.submission import prepare_submission

from . import calculations
from .choices import ReportKind
from .error_codes import GrantErrorCode
from .models import Envelope, GrantApplication, JustifiedExpense, Report, Review
from .permissions import may_file_report, may_record_review
from .rules import check_completeness
from .states import RESERVING

# -- submission --------------------------------------------------------------------------------------


def submit_application(*, file: GrantApplication, acting_user, administration=None) -> None:
    check_completeness(file)
    prepare_submission(file, organisation=file.lead_organisation, administration=administration)
    if not Envelope.objects.filter(call=file.call, administration=file.administration).exists():
        raise field_errors(
            {
                "administration": [
                    (
                        _("This call has no budget envelope for %(administration)s.")
                        % {"administration": file.administration},
                        GrantErrorCode.NO_ENVELOPE,
                    )
                ]
            },
            code=GrantErrorCode.NO_ENVELOPE,
        )


def require_complete_answer(*, file: GrantApplication, acting_user) -> None:
    """Answering an information request: complete, though the call may have closed meanwhile."""
    check_completeness(file, during_call=False)


# -- award within the envelope -----------------------------------------------------------------------


def committed_on(envelope: Envelope, *, excluding: int | None = None) -> Decimal:
    """The sum reserved on an envelope, computed in the database."""
    reserved = GrantApplication.objects.filter(
        call_id=envelope.call_id, administration_id=envelope.administration_id, state__in=RESERVING
    )
    if excluding is not None:
        reserved = reserved.exclude(pk=excluding)
    return reserved.aggregate(total=Sum("reserved_amount"))["total"] or Decimal("0.00")


def award(*, file: GrantApplication, acting_user, awarded_amount: Decimal) -> None:
    """Reserve the award on the call's envelope for the file's administration, or refuse.

    The envelope row is locked (after the file) until the decision commits, so two approvers
    approving different files at the same moment are served one after the other and never commit
    more than the envelope."""
    from core.workflow import TransitionRefused

    if awarded_amount > (file.requested_amount or Decimal(0)):
        raise field_errors(
            {
                "awarded_amount": [
                    (
                        _("The award cannot exceed the requested amount (%(amount)s).")
                        % {"amount": format_money(file.requested_amount)},
                        GrantErrorCode.AWARD_ABOVE_REQUEST,
                    )
                ]
            },
            code=GrantErrorCode.AWARD_ABOVE_REQUEST,
        )
    envelope = lock_row(
        Envelope.objects.filter(call_id=file.call_id, administration_id=file.administration_id)
    )
    if envelope is None:
        raise TransitionRefused(
            _("This call has no budget envelope for the file's administration."),
            code=GrantErrorCode.NO_ENVELOPE,
        )
    remaining = envelope.amount - committed_on(envelope, excluding=file.pk)
    if awarded_amount > remaining:
        raise TransitionRefused(
            _("The envelope cannot cover this award: %(remaining)s remain of %(envelope)s.")
            % {"remaining": format_money(remaining), "envelope": format_money(envelope.amount)},
            code=GrantErrorCode.ENVELOPE_EXHAUSTED,
        )
    file.awarded_amount = awarded_amount
    file.reserved_amount = awarded_amount
    file.decided_at = timezone.now()
    file.acceptance_deadline = timezone.localdate() + timedelta(days=file.call.acceptance_days)


def accept_award(*, file: GrantApplication, acting_user) -> None:
    order_advance(file, by=acting_user)


def release_reservation(*, file: GrantApplication, acting_user) -> None:
    file.reserved_amount = Decimal("0.00")


# -- payments ----------------------------------------------------------------------------------------

OUTGOING = [PaymentOrder.Kind.GRANT_ADVANCE, PaymentOrder.Kind.GRANT_BALANCE]


def _order(application: GrantApplication, *, kind: str, amount: Decimal, label: str, by) -> PaymentOrder:
    organisation = application.lead_organisation
    return create_payment_order(
        file=application,
        kind=kind,
        amount=amount,
        counterparty_name=organisation.name,
        counterparty_iban=organisation.iban,
        counterparty_bic=organisation.bic,
        remittance_information=f"{application.reference} {label}",
        due_date=timezone.localdate() + timedelta(days=30),
        created_by=by,
    )


def order_advance(application: GrantApplication, *, by) -> PaymentOrder | None:
    amount = calculations.advance_amount(application.awarded_amount, application.call.advance_percentage)
    if amount <= 0:  # a call without an advance: everything is paid as the balance
        return None
    return _order(application, kind=PaymentOrder.Kind.GRANT_ADVANCE, amount=amount, label="advance", by=by)


def paid_so_far(application: GrantApplication) -> Decimal:
    """Paid out (or ordered) minus recovered, counting every order that was not cancelled."""
    orders = payment_orders_of(application).exclude(state=PaymentOrder.State.CANCELLED)
    totals = orders.aggregate(
        out=Sum("amount", filter=Q(kind__in=OUTGOING)),
        back=Sum("amount", filter=Q(kind=PaymentOrder.Kind.GRANT_RECOVERY)),
    )
    return (totals["out"] or Decimal("0.00")) - (totals["back"] or Decimal("0.00"))


def settle(*, file: GrantApplication, acting_user, accepted_expenses: Decimal) -> PaymentOrder | None:
    """Closing or termination: balance = min(award, accepted expenses) − paid; a balance order when
    positive, a recovery order when negative. The reservation becomes the grant's final cost."""
    application, by = file, acting_user
    balance = calculations.settlement(application.awarded_amount, accepted_expenses, paid_so_far(application))
    application.accepted_expenses = accepted_expenses
    application.reserved_amount = calculations.final_cost(application.awarded_amount, accepted_expenses)
    if balance > 0:
        return _order(
            application, kind=PaymentOrder.Kind.GRANT_BALANCE, amount=balance, label="balance", by=by
        )
    if balance < 0:
        return _order(
            application, kind=PaymentOrder.Kind.GRANT_RECOVERY, amount=-balance, label="recovery", by=by
        )
    return None


# -- reviews and reports -----------------------------------------------------------------------------


@transaction.atomic
def record_review(*, acting_user, application: GrantApplication, data: dict) -> Review:
    """The officer's scored review; a second one by the same officer replaces the first."""
    application = lock_file(GrantApplication, application.pk)
    require(may_record_review(application, acting_user), file=application)
    review, created = Review.objects.update_or_create(
        application=application, reviewer=acting_user, defaults=data
    )
    review.full_clean()
    record_event(
        target=application,
        event="review_recorded" if created else "review_changed",
        acting_user=acting_user,
        parameters={"recommendation": review.recommendation, "total": review.total},
    )
    return review


@transaction.atomic
def file_report(
    *,
    acting_user,
    application: GrantApplication,
    kind: str,
    activities: str,
    results: str = "",
    expenses: dict | None = None,
) -> Report:
    """Interim reports while in progress; the final report with justified expenses per budget line
    (submitted afterwards with the `submit_final_report` transition)."""
    application = lock_file(GrantApplication, application.pk)
    require(may_file_report(application, acting_user), file=application)
    if not activities.strip():
        raise field_errors({"activities": [_("Describe the activities carried out.")]})
    report = Report.objects.create(
        application=application, kind=kind, activities=activities, results=results, submitted_by=acting_user
    )
    if kind == ReportKind.FINAL:
        lines = {line.pk: line for line in application.budget_lines.all()}
        errors = {}
        for line_id, amount in (expenses or {}).items():
            if int(line_id) not in lines:
                errors.setdefault("expenses", []).append(
                    _("Unknown budget line %(line)s.") % {"line": line_id}
                )
            elif amount < 0:
                errors.setdefault("expenses", []).append(_("Justified amounts cannot be negative."))
        if not expenses:
            errors["expenses"] = [_("Justify the expenses per budget line.")]
        if errors:
            raise field_errors(errors)
        JustifiedExpense.objects.bulk_create(
            JustifiedExpense(report=report, budget_line=lines[int(line_id)], amount=amount)
            for line_id, amount in expenses.items()
        )
    record_event(target=application, event="report_filed", acting_user=acting_user, parameters={"kind": kind})
    return report


def latest_final_report(application: GrantApplication) -> Report | None:
    return application.reports.filter(kind=ReportKind.FINAL).order_by("-submitted_at", "-pk").first()


def require_final_report(*, file: GrantApplication, acting_user) -> None:
    if latest_final_report(file) is None:
        raise field_errors(
            {
                "report": [
                    (
                        _("File the final report with the justified expenses first."),
                        GrantErrorCode.FINAL_REPORT_MISSING,
                    )
                ]
            },
            code=GrantErrorCode.FINAL_REPORT_MISSING,
        )
