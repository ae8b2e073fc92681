"""SEPA credit transfer file (pain.001.001.03) of one administration's approved payment orders.

Only money leaving the administration is exported: approved orders that are not receivables (a
grant recovery, guarantee fee or recovery share is owed *to* the administration) and have not been
exported yet. The export locks those orders, builds the file with `sepaxml`, validates it against
the pain.001 schema (the XSD sepaxml ships, with lxml: parsed once per process) and stamps the orders' `exported_at`, all in one transaction: a file that fails
validation marks nothing. The orders stay `approved` until finance marks them paid.
"""

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import sepaxml
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from sepaxml import SepaTransfer

from .exceptions import InvalidInput
from .money import to_money

logger = logging.getLogger(__name__)

SCHEMA = "pain.001.001.03"
CURRENCY = "EUR"

# The EPC's basic Latin character set for SEPA: accents are dropped, other signs become spaces.
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ĳ": "ij", "Ĳ": "IJ"})


@dataclass(frozen=True)
class SepaExport:
    xml: bytes
    filename: str
    total: Decimal
    order_ids: list[int] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def count(self) -> int:
        return len(self.order_ids)


def exportable_payment_orders(administration) -> QuerySet:
    """Approved, not yet exported orders that pay money out of `administration`."""
    from .models import PaymentOrder

    return PaymentOrder.objects.filter(
        administration=administration,
        state=PaymentOrder.State.APPROVED,
        exported_at__isnull=True,
    ).exclude(kind__in=PaymentOrder.RECEIVABLE_KINDS)


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(sepaxml.__file__).parent / "schemas" / f"{SCHEMA}.xsd")))


def schema_errors(xml: bytes) -> list[str]:
    """Why `xml` does not validate against the pain.001 schema (none when it does)."""
    schema = _schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def amount_in_cents(amount: Decimal | int | str) -> int:
    """Whole euro cents, exactly (never through a float): Decimal('12500.05') -> 1250005."""
    return int(to_money(amount).scaleb(2))


def sepa_text(value: str, max_length: int) -> str:
    """`value` in the SEPA character set, at most `max_length` long: 'Coöpération & Cie' -> 'Cooperation Cie'."""
    decomposed = unicodedata.normalize("NFKD", (value or "").translate(_LIGATURES))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    text = _NOT_SEPA.sub(" ", ascii_text)
    return " ".join(text.split())[:max_length].strip()


def compact_account(value: str) -> str:
    return (value or "").replace(" ", "").upper()


def _order_problem(order) -> str:
    """Why the bank would refuse this order's transfer, in words finance can act on ('' if none)."""
    from django.core.exceptions import ValidationError

    from accounts.validators import validate_bic, validate_iban

    reference = order.reference
    if order.amount <= 0:
        return _("%(reference)s: the amount must be more than zero") % {"reference": reference}
    try:
        validate_iban(compact_account(order.counterparty_iban))
    except ValidationError:
        return _("%(reference)s: the IBAN of %(name)s (%(iban)s) is not valid") % {
            "reference": reference,
            "name": order.counterparty_name,
            "iban": order.counterparty_iban or "—",
        }
    if order.counterparty_bic:
        try:
            validate_bic(compact_account(order.counterparty_bic))
        except ValidationError:
            return _("%(reference)s: the BIC of %(name)s (%(bic)s) is not valid") % {
                "reference": reference,
                "name": order.counterparty_name,
                "bic": order.counterparty_bic,
            }
    return ""


def export_filename(administration, day=None, number: int | None = None) -> str:
    day = day or timezone.localdate()
    suffix = f"-{number}" if number else ""
    return f"pain001-{administration.code}-{day.isoformat()}{suffix}.xml"


def export_payment_orders(*, administration, acting_user) -> SepaExport:
    """Export the administration's approved outgoing orders as pain.001 and mark them exported.

    The file is recorded as a `SepaBatch` (its bytes, their SHA-256, the orders' count and total)
    with a history row on the batch, in the same transaction; the orders point at it.

    Refuses (InvalidInput) when the administration has no IBAN or BIC, when nothing awaits export
    and when the file does not validate against the schema.
    """
    from .audit import record_event
    from .models import PaymentOrder, SepaBatch

    name = administration.name_fr or administration.name_nl
    if not administration.iban or not administration.bic:
        raise InvalidInput(
            _("Enter the IBAN and BIC of %(administration)s before exporting payments.")
            % {"administration": name}
        )

    today = timezone.localdate()
    with transaction.atomic():
        orders = list(exportable_payment_orders(administration).select_for_update().order_by("pk"))
        if not orders:
            raise InvalidInput(
                _("No approved payment order of %(administration)s awaits export.") % {"administration": name}
            )

        problems = [problem for order in orders if (problem := _order_problem(order))]
        if problems:
            raise InvalidInput(
                _("Nothing was exported. Correct these payment orders first: %(problems)s")
                % {"problems": "; ".join(problems)}
            )

        transfer = SepaTransfer(
            {
                "name": sepa_text(name, 70),
                "IBAN": compact_account(administration.iban),
                "BIC": compact_account(administration.bic),
                "batch": True,
                "currency": CURRENCY,
            },
            schema=SCHEMA,
        )
        for order in orders:
            payment = {
                "name": sepa_text(order.counterparty_name, 70),
                "IBAN": compact_account(order.counterparty_iban),
                "amount": amount_in_cents(order.amount),
                # A bank refuses an execution date in the past: overdue orders leave today.
                "execution_date": max(order.due_date, today),
                "description": sepa_text(order.remittance_information or order.reference, 140),
                "endtoend_id": order.reference,
            }
            if order.counterparty_bic:
                payment["BIC"] = compact_account(order.counterparty_bic)
            transfer.add_payment(payment)

        xml = transfer.export(validate=False)
        if errors := schema_errors(xml):
            logger.error("A SEPA file did not validate: %s", "; ".join(errors[:5]))
            raise InvalidInput(
                _(
                    "The SEPA file does not validate against the %(schema)s schema: check the IBAN, BIC "
                    "and names of the payment orders."
                )
                % {"schema": SCHEMA}
            )

        now = timezone.now()
        order_ids = [order.pk for order in orders]
        total = sum((order.amount for order in orders), Decimal("0.00"))
        same_day = SepaBatch.objects.filter(administration=administration, created_at__date=today).count()
        batch = SepaBatch.objects.create(
            administration=administration,
            created_by=acting_user,
            filename=export_filename(administration, today, same_day + 1 if same_day else None),
            content=xml,
            sha256=hashlib.sha256(xml).hexdigest(),
            order_count=len(orders),
            total=total,
        )
        record_event(
            target=batch,
            event="sepa_exported",
            acting_user=acting_user,
            parameters={"orders": len(orders), "total": total, "sha256": batch.sha256},
        )
        PaymentOrder.objects.filter(pk__in=order_ids).update(exported_at=now, sepa_batch=batch)

    return SepaExport(
        xml=xml,
        filename=batch.filename,
        total=total,
        order_ids=order_ids,
        batch_id=batch.pk,
    )


def sepa_batches_visible_to(user) -> QuerySet:
    """The batches of the administrations where `user` is finance staff."""
    from accounts.models import StaffRole
    from accounts.selectors import administration_ids_where

    from .models import SepaBatch

    return SepaBatch.objects.filter(
        administration_id__in=administration_ids_where(user, StaffRole.Role.FINANCE)
    ).defer("content")


def download_batch(*, batch, acting_user) -> bytes:
    """The batch's file exactly as first exported; the download of personal data (IBANs, names) is
    recorded in the batch's history."""
    from .audit import record_event

    record_event(
        target=batch, event="sepa_downloaded", acting_user=acting_user, parameters={"sha256": batch.sha256}
    )
    return bytes(batch.content)
