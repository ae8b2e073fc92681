"""Every write on grants. Transitions call the `submit_application`, `award`, `order_advance`,
`release_reservation` and `settle` steps from inside the shared transition service's transaction."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.exceptions import Conflict, InvalidInput, NotPermitted, field_errors
from core.models import PaymentOrder
from core.money import format_money
from core.payments import create_payment_order
from core.permissions import is_applicant
from core.submission import prepare_submission
from core.workflow import TransitionRefused

from . import calculations
from .choices import ReportKind
from .models import Envelope, GrantApplication, JustifiedExpense, Report, Review
from .rules import check_completeness
from .states import RESERVING, State

# -- submission --------------------------------------------------------------------------------------


def submit_application(application: GrantApplication, *, administration=None) -> None:
    check_completeness(application)
    prepare_submission(
        application,
        organisation=application.lead_organisation,
        scheme_code="grants",
        administration=administration,
    )
    if not Envelope.objects.filter(call=application.call, administration=application.administration).exists():
        raise field_errors(
            {
                "administration": [
                    _("This call has no budget envelope for %(administration)s.")
                    % {"administration": application.administration}
                ]
            }
        )


# -- award within the envelope -----------------------------------------------------------------------


def committed_on(envelope: Envelope, *, excluding: int | None = None) -> Decimal:
    """The sum reserved on an envelope, computed in the database."""
    reserved = GrantApplication.objects.filter(
        call_id=envelope.call_id, administration_id=envelope.administration_id, state__in=RESERVING
    )
    if excluding is not None:
        reserved = reserved.exclude(pk=excluding)
    return reserved.aggregate(total=Sum("reserved_amount"))["total"] or Decimal("0.00")


def award(application: GrantApplication, *, amount: Decimal) -> None:
    """Reserve `amount` on the call's envelope for the file's administration, or refuse.

    The envelope row stays locked until the decision commits, so two approvers approving different
    files at the same moment are served one after the other and never commit more than the envelope.
    """
    if not application.reviews.exists():
        raise TransitionRefused(_("At least one review is needed before a decision."), code="review_required")
    if amount > (application.requested_amount or Decimal(0)):
        raise InvalidInput(
            _("Please correct the errors below."),
            errors={
                "awarded_amount": [
                    {
                        "message": _("The award cannot exceed the requested amount (%(amount)s).")
                        % {"amount": format_money(application.requested_amount)},
                        "code": "invalid",
                    }
                ]
            },
        )
    envelope = (
        Envelope.objects.select_for_update()
        .filter(call_id=application.call_id, administration_id=application.administration_id)
        .first()
    )
    if envelope is None:
        raise TransitionRefused(
            _("This call has no budget envelope for the file's administration."), code="no_envelope"
        )
    remaining = envelope.amount - committed_on(envelope, excluding=application.pk)
    if amount > remaining:
        raise TransitionRefused(
            _("The envelope cannot cover this award: %(remaining)s remain of %(envelope)s.")
            % {"remaining": format_money(remaining), "envelope": format_money(envelope.amount)},
            code="envelope_exhausted",
        )
    application.awarded_amount = amount
    application.reserved_amount = amount
    application.decided_at = timezone.now()
    application.acceptance_deadline = timezone.localdate() + timedelta(days=application.call.acceptance_days)


def check_acceptance_deadline(application: GrantApplication) -> None:
    """An award is accepted by its deadline; after it, only lapsing remains (even before the nightly job)."""
    deadline = application.acceptance_deadline
    if deadline is not None and timezone.localdate() > deadline:
        raise TransitionRefused(
            _("The award had to be accepted by %(deadline)s: it can no longer be accepted.")
            % {"deadline": formats.date_format(deadline)},
            code="acceptance_deadline_passed",
        )


def release_reservation(application: GrantApplication) -> None:
    application.reserved_amount = Decimal("0.00")


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
    orders = PaymentOrder.objects.filter(
        content_type__app_label="grants", content_type__model="grantapplication", object_id=application.pk
    ).exclude(state=PaymentOrder.State.CANCELLED)
    totals = orders.aggregate(
        out=Sum("amount", filter=Q(kind__in=OUTGOING)),
        back=Sum("amount", filter=Q(kind=PaymentOrder.Kind.GRANT_RECOVERY)),
    )
    return (totals["out"] or Decimal("0.00")) - (totals["back"] or Decimal("0.00"))


def settle(
    application: GrantApplication, *, accepted_expenses: Decimal, by, terminated: bool
) -> PaymentOrder | None:
    """Closing or termination: balance = min(award, accepted expenses) − paid; a balance order when
    positive, a recovery order when negative. The reservation becomes the grant's final cost."""
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
    from core.permissions import is_officer

    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    decision = is_officer(application, acting_user)
    if not decision:
        raise NotPermitted(decision.reason)
    if application.state != State.UNDER_REVIEW:
        raise Conflict(_("Reviews are recorded while the application is under review."))
    review, _created = Review.objects.update_or_create(
        application=application, reviewer=acting_user, defaults=data
    )
    review.full_clean()
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
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    decision = is_applicant(application, acting_user)
    if not decision:
        raise NotPermitted(decision.reason)
    if application.state != State.IN_PROGRESS:
        raise Conflict(_("Reports are filed while the grant is in progress."))
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
    return report


def latest_final_report(application: GrantApplication) -> Report | None:
    return application.reports.filter(kind=ReportKind.FINAL).order_by("-submitted_at", "-pk").first()


def check_final_report(application: GrantApplication) -> None:
    if latest_final_report(application) is None:
        raise field_errors({"report": [_("File the final report with the justified expenses first.")]})
