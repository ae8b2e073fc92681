from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from core.workflow import transition

from .display import CachedChoiceLabelsMixin


class PaidForm(forms.Form):
    """When the money left the account (or, for a receivable, arrived): today unless told otherwise,
    never in the future nor before the order existed."""

    takes_file = True

    paid_on = forms.DateField(
        label=_("Payment date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date on the bank statement; today when left empty."),
    )

    def __init__(self, *args, file=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file = file
        self.fields["paid_on"].initial = timezone.localdate()

    def clean_paid_on(self):
        paid_on = self.cleaned_data.get("paid_on") or timezone.localdate()
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("The payment date cannot be in the future."))
        created = getattr(self.file, "created_at", None)
        if created is not None and paid_on < timezone.localdate(created):
            raise forms.ValidationError(
                _("The payment date cannot be before the order was created (%(date)s).")
                % {"date": formats.date_format(timezone.localdate(created))}
            )
        return paid_on


class PaymentOrder(CachedChoiceLabelsMixin, ConcurrentTransitionMixin, models.Model):
    """Money leaving the administration, or owed to it, for any scheme's file."""

    class Kind(models.TextChoices):
        GRANT_ADVANCE = "grant_advance", _("Grant advance")
        GRANT_BALANCE = "grant_balance", _("Grant balance")
        GRANT_RECOVERY = "grant_recovery", _("Grant recovery")
        MENTORING_COMPENSATION = "mentoring_compensation", _("Mentoring compensation")
        GUARANTEE_FEE = "guarantee_fee", _("Guarantee fee")
        GUARANTEE_CLAIM_PAYOUT = "guarantee_claim_payout", _("Guarantee claim payout")
        RECOVERY_SHARE = "recovery_share", _("Recovery share")

    # Scope (core.scope): staff of the order's administration, whatever their role; no party.
    PARTIES = ()
    ADMINISTRATION_FIELD = "administration"

    # Orders the organisation or lender owes to the administration; the rest are paid out.
    RECEIVABLE_KINDS = frozenset({Kind.GRANT_RECOVERY, Kind.GUARANTEE_FEE, Kind.RECOVERY_SHARE})

    class Scheme(models.TextChoices):
        GRANTS = "grants", _("Grants")
        GUARANTEES = "guarantees", _("Guarantees")
        MENTORING = "mentoring", _("Peer mentoring")

    class Direction(models.TextChoices):
        PAYABLE = "payable", _("Payable")
        RECEIVABLE = "receivable", _("Receivable")

    # The scheme each kind of order belongs to (filters by scheme read this, nowhere else).
    SCHEME_KINDS = {
        Scheme.GRANTS: frozenset({Kind.GRANT_ADVANCE, Kind.GRANT_BALANCE, Kind.GRANT_RECOVERY}),
        Scheme.GUARANTEES: frozenset({Kind.GUARANTEE_FEE, Kind.GUARANTEE_CLAIM_PAYOUT, Kind.RECOVERY_SHARE}),
        Scheme.MENTORING: frozenset({Kind.MENTORING_COMPENSATION}),
    }

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    administration = models.ForeignKey(
        "accounts.Administration",
        on_delete=models.PROTECT,
        related_name="payment_orders",
        verbose_name=_("administration"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = GenericForeignKey("content_type", "object_id")
    file_reference = models.CharField(_("file reference"), max_length=20)
    counterparty_name = models.CharField(_("beneficiary or debtor"), max_length=140)
    counterparty_iban = models.CharField(_("IBAN"), max_length=34)
    counterparty_bic = models.CharField(_("BIC"), max_length=11)
    remittance_information = models.CharField(_("communication"), max_length=140)
    due_date = models.DateField(_("due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("marked paid at"), null=True, blank=True)
    paid_on = models.DateField(
        _("payment date"), null=True, blank=True, help_text=_("The date on the bank statement.")
    )
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    sepa_batch = models.ForeignKey(
        "core.SepaBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("SEPA batch"),
    )

    class Meta:
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["state", "kind"]),
            models.Index(fields=["-created_at", "-id"], name="payment_order_recent"),
            models.Index(
                fields=["administration", "-created_at", "-id", "state"], name="payment_order_admin_recent"
            ),
            # What a call's "paid" figure reads: paid orders of one file type and administration.
            models.Index(
                fields=["content_type", "administration", "state", "object_id"],
                include=["kind", "amount"],
                name="payment_order_by_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_reference}: {self.amount} EUR"

    def get_absolute_url(self) -> str:
        return f"/payments/orders/{self.pk}/"

    @property
    def reference(self) -> str:
        return f"PAY-{self.pk:06d}"

    @property
    def is_receivable(self) -> bool:
        return self.kind in self.RECEIVABLE_KINDS

    @property
    def days_overdue(self) -> int | None:
        """Days a receivable still owed (pending or approved) is past its due date; None otherwise."""

        if not self.is_receivable or self.state not in (self.State.PENDING, self.State.APPROVED):
            return None
        late = (timezone.localdate() - self.due_date).days
        return late if late > 0 else None

    @transition(
        field=state,
        source=State.PENDING,
        target=State.APPROVED,
        label=_("Approve"),
        allowed="core.payments.may_approve",
    )
    def approve(self, *, by, comment=""):

        self.approved_by = by
        self.approved_at = timezone.now()

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.PAID,
        label=_("Mark as paid"),
        allowed="core.payments.may_handle_payment",
        parameters=PaidForm,
        effect="core.payments.record_payment_date",
    )
    def mark_paid(self, *, by, comment=""):
        self.paid_at = timezone.now()

    @transition(
        field=state,
        source=[State.PENDING, State.APPROVED],
        target=State.CANCELLED,
        label=_("Cancel the order"),
        allowed="core.payments.may_handle_payment",
        comment_required=True,
    )
    def cancel(self, *, by, comment=""):
        pass


class SepaBatch(models.Model):
    """One exported pain.001 file, kept as it was sent: downloading it again gives the same bytes,
    and its orders never enter another batch."""

    administration = models.ForeignKey(
        "accounts.Administration",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("exported by")
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=100)
    content = models.BinaryField(_("file"))
    sha256 = models.CharField(max_length=64)
    order_count = models.PositiveIntegerField(_("number of orders"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("SEPA batch")
        verbose_name_plural = _("SEPA batches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["administration", "-created_at"], name="sepa_batch_recent")]

    def __str__(self) -> str:
        return self.filename
