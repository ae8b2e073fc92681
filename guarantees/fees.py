"""The fee run: each due billing period of a running guarantee gets its payment order (owed by the
borrower) exactly once, even when the run is started twice or concurrently."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import PaymentOrder
from core.payments import create_payment_order

from . import calculations
from .models import FeePeriod
from .states import RUNNING_STATES


def fee_of(period: FeePeriod):
    request = period.request
    if request.fee_frequency == "one_off":
        return calculations.one_off_fee(request.guaranteed_amount, request.fee_rate)
    lines = [
        calculations.Instalment(row.number, row.due_date, row.principal, row.interest, row.outstanding_after)
        for row in request.schedule_lines.all()
    ]
    declarations = [(d.as_of, d.outstanding_principal) for d in request.declarations.all()]
    # The balance just before the period starts (an instalment due that day is not yet repaid).
    outstanding = (
        calculations.outstanding_principal(
            request.disbursed_amount, lines, declarations, period.starts_on - timedelta(days=1)
        )
        if period.starts_on > request.disbursed_on
        else request.disbursed_amount
    )
    months = (
        (period.ends_on.year - period.starts_on.year) * 12 + period.ends_on.month - period.starts_on.month
    )
    return calculations.period_fee(
        calculations.guaranteed_part(outstanding, request.coverage), request.fee_rate, max(months, 1)
    )


def bill_due_fees(today=None) -> int:
    """Create the payment orders of every period started by `today`; returns how many were created."""
    today = today or timezone.localdate()
    due = list(
        FeePeriod.objects.filter(
            billed_at__isnull=True, starts_on__lte=today, request__state__in=RUNNING_STATES
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    created = 0
    for pk in due:
        with transaction.atomic():
            # Locked and read again: a concurrent run that billed it first leaves nothing to do here.
            period = (
                FeePeriod.objects.select_for_update(of=("self",))
                .select_related("request", "request__borrower")
                .filter(pk=pk, billed_at__isnull=True)
                .first()
            )
            if period is None:
                continue
            amount = fee_of(period)
            if amount > 0:
                borrower = period.request.borrower
                period.payment_order = create_payment_order(
                    file=period.request,
                    kind=PaymentOrder.Kind.GUARANTEE_FEE,
                    amount=amount,
                    counterparty_name=borrower.name,
                    counterparty_iban=borrower.iban,
                    counterparty_bic=borrower.bic,
                    remittance_information=f"{period.request.reference} fee {period.starts_on:%Y-%m}",
                    due_date=period.starts_on + timedelta(days=30),
                )
                created += 1
            period.amount = amount
            period.billed_at = timezone.now()
            period.save(update_fields=["amount", "payment_order", "billed_at"])
    return created
