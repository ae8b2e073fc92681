"""Payment orders: who may approve and pay them, creating them, and the SEPA export."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .money import to_money
from .permissions import all_of, is_finance, not_among

may_handle_payment = is_finance


def may_approve(order, user):
    """Finance of the order's administration, and not the person who created the order (four eyes)."""
    return all_of(is_finance, lambda order_, user_: not_among(user_, [order_.created_by_id]))(order, user)


def record_payment_date(*, file, acting_user, paid_on) -> None:
    """The effect of marking an order paid (or a receivable received): the date on the statement."""
    file.paid_on = paid_on


def create_payment_order(
    *,
    file: models.Model,
    kind: str,
    amount: Decimal,
    counterparty_name: str,
    counterparty_iban: str,
    counterparty_bic: str,
    remittance_information: str,
    due_date: date,
    created_by=None,
):
    from .models import PaymentOrder

    return PaymentOrder.objects.create(
        kind=kind,
        amount=to_money(amount),
        administration_id=file.administration_id,
        content_type=ContentType.objects.get_for_model(file),
        object_id=file.pk,
        file_reference=file.reference or "",
        counterparty_name=counterparty_name[:140],
        counterparty_iban=counterparty_iban,
        counterparty_bic=counterparty_bic,
        remittance_information=remittance_information[:140],
        due_date=due_date,
        created_by=created_by,
    )


def payment_orders_visible_to(user) -> QuerySet:
    """Staff of an administration see its payment orders; nobody else sees any."""
    from .models import PaymentOrder
    from .scope import visible_to

    return visible_to(PaymentOrder, user).select_related("administration", "created_by", "approved_by")


def payment_orders_of(file: models.Model) -> QuerySet:
    """The payment orders of one file, whatever its scheme."""
    from .models import PaymentOrder

    return PaymentOrder.objects.filter(
        content_type=ContentType.objects.get_for_model(type(file)), object_id=file.pk
    )


def filter_payment_orders(orders, *, scheme="", direction="", due_from=None, due_to=None, receivables=False):
    """Narrow payment orders by scheme, direction (payable / receivable) and due date range; the
    receivables shortcut keeps what is still owed to the administration (pending or approved)."""
    from .models import PaymentOrder

    if scheme:
        orders = orders.filter(kind__in=PaymentOrder.SCHEME_KINDS[scheme])
    if receivables:
        direction = PaymentOrder.Direction.RECEIVABLE
        orders = orders.filter(state__in=[PaymentOrder.State.PENDING, PaymentOrder.State.APPROVED])
    if direction == PaymentOrder.Direction.RECEIVABLE:
        orders = orders.filter(kind__in=PaymentOrder.RECEIVABLE_KINDS)
    elif direction == PaymentOrder.Direction.PAYABLE:
        orders = orders.exclude(kind__in=PaymentOrder.RECEIVABLE_KINDS)
    if due_from:
        orders = orders.filter(due_date__gte=due_from)
    if due_to:
        orders = orders.filter(due_date__lte=due_to)
    return orders
