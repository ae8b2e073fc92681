"""The guarantee fund and its versioned scheme parameters, guarantee requests (a workflow file),
their amortisation schedules, fee periods, lender declarations and recoveries."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import WorkflowFile
from core.scope import Party
from core.todo import PartyTask

from .choices import FREQUENCY_MONTHS, FeeFrequency, Rating, Recommendation, RepaymentProfile, loan_type_of
from .states import AID_STATES, FINISHED, MAIN_PATH, State
from .workflow import GuaranteeWorkflow

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


class Fund(models.Model):
    """The guarantee fund. Offers lock this row (after the file) to reserve within its capacity."""

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("guarantee fund")
        verbose_name_plural = _("guarantee funds")

    def __str__(self) -> str:
        return self.name


class SchemeParametersQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(effective_from__lte=day).order_by("-effective_from", "-pk").first()


class SchemeParameters(models.Model):
    """One version of the scheme's parameters, in force from its effective date until the next one.

    A file keeps the version in force when it was offered: a new version never changes an offer."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="parameters", verbose_name=_("fund")
    )
    effective_from = models.DateField(_("in force from"))
    endowment = models.DecimalField(_("endowment (EUR)"), **MONEY, validators=[MinValueValidator(0)])
    leverage_multiplier = models.DecimalField(
        _("leverage multiplier"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    alert_threshold = models.DecimalField(_("alert at use (%)"), **PERCENT, default=Decimal("80.00"))
    organisation_cap = models.DecimalField(_("maximum guaranteed per organisation (EUR)"), **MONEY)
    lender_loss_cap = models.DecimalField(
        _("lender loss cap (percentage of the lender's guaranteed volume)"),
        **PERCENT,
        default=Decimal("15.00"),
    )
    max_coverage_amortising = models.DecimalField(
        _("maximum coverage, amortising loans (%)"), **PERCENT, default=Decimal("75.00")
    )
    max_coverage_credit_line = models.DecimalField(
        _("maximum coverage, credit lines (%)"), **PERCENT, default=Decimal("50.00")
    )
    minimum_loan = models.DecimalField(_("minimum loan (EUR)"), **MONEY, default=Decimal("10000.00"))
    max_duration_amortising = models.PositiveIntegerField(
        _("maximum duration, amortising loans (months)"), default=120
    )
    max_duration_credit_line = models.PositiveIntegerField(
        _("maximum duration, credit lines (months)"), default=36
    )
    offer_validity_months = models.PositiveIntegerField(_("offer validity (months)"), default=6)
    fee_rate = models.DecimalField(
        _("fee rate (%)"),
        **PERCENT,
        default=Decimal("1.00"),
        help_text=_("Annual, on the outstanding guaranteed amount; or once, on the guaranteed amount."),
    )
    fee_frequency = models.CharField(
        _("fee billing"), max_length=10, choices=FeeFrequency.choices, default=FeeFrequency.QUARTERLY
    )
    call_after_arrears_days = models.PositiveIntegerField(
        _("call allowed after (days of arrears)"), default=90
    )
    interest_covered_days = models.PositiveIntegerField(_("interest covered (days)"), default=90)
    de_minimis_ceiling = models.DecimalField(
        _("de minimis ceiling (EUR)"), **MONEY, default=Decimal("300000.00")
    )
    de_minimis_years = models.PositiveIntegerField(_("de minimis period (years)"), default=3)
    market_premiums = models.JSONField(
        _("market premium per rating (percentage a year)"),
        default=dict,
        help_text=_('For the aid equivalent, e.g. {"A": 0.4, "B": 0.8, "C": 2.0, "D": 3.8, "E": 6.3}.'),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SchemeParametersQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheme parameters")
        verbose_name_plural = _("scheme parameters")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "effective_from"], name="one_parameter_version_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.fund} – {self.effective_from}"

    @property
    def capacity(self) -> Decimal:
        from .calculations import capacity

        return capacity(self.endowment, self.leverage_multiplier)

    def max_coverage(self, profile: str) -> Decimal:
        if loan_type_of(profile) == "credit_line":
            return self.max_coverage_credit_line
        return self.max_coverage_amortising

    def max_duration(self, profile: str) -> int:
        if loan_type_of(profile) == "credit_line":
            return self.max_duration_credit_line
        return self.max_duration_amortising

    def market_premium(self, rating: str) -> Decimal:
        return Decimal(str(self.market_premiums.get(rating, 0)))

    @property
    def fee_period_months(self) -> int | None:
        return FREQUENCY_MONTHS.get(self.fee_frequency)


class GuaranteeRequest(GuaranteeWorkflow, WorkflowFile):
    # Scope (core.scope): the borrower's members apply and act; the lender's members see and act on
    # the guarantees of the loans it grants; staff of the borrower's administration once submitted.
    PARTIES = (Party("borrower", "borrower"), Party("lender", "lender"))
    APPLICANT_ROLES = ("borrower",)
    HIDDEN_FROM_STAFF = (State.DRAFT,)
    PROGRESS_STEPS = MAIN_PATH
    # Closing reads the recoveries; the risk review and the decisions read the conflict declarations.
    CHECKS_PREFETCH = ("recoveries__payment_order", "conflict_declarations")
    # Deadline reminders go to the parties in these states (core.reminders), else to the administration.
    PARTIES_ACT_IN = (State.DRAFT, State.INFORMATION_REQUESTED, State.OFFERED, State.ACTIVE)
    # Everyone's tasks (core.todo); a lender's quarterly declarations are the scheme's own task source.
    PARTY_TASKS = (
        PartyTask("submit", State.DRAFT, "borrower", _("Complete and submit the draft")),
        PartyTask("answer", State.INFORMATION_REQUESTED, "borrower", _("Answer the request for information")),
        PartyTask("confirm_disbursement", State.OFFERED, "lender", _("Confirm the loan's disbursement")),
    )
    DECISION_STATES = (State.UNDER_REVIEW,)
    REVIEWED_BY = "risk_reviewed_by"
    FINISHED_STATES = tuple(FINISHED)
    TASK_SUBJECT = "purpose"
    # What changed between submissions (core.changes): the request, then the answer to a request for information.
    SUBMISSION_TRANSITIONS = ("submit", "answer")
    # The officers' search box (core.search).
    SEARCH_FIELDS = (
        "reference",
        "purpose",
        "borrower__name_fr",
        "borrower__name_nl",
        "borrower__enterprise_number",
        "lender__name_fr",
        "lender__name_nl",
    )
    SEARCH_TITLE = "borrower__name_fr"
    # What an organisation's page adds up (core.organisation_picture).
    PICTURE_AMOUNT = ("guaranteed_amount", _("Guaranteed"), AID_STATES)

    borrower = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="guarantee_requests",
        verbose_name=_("borrower"),
    )
    lender = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guaranteed_loans",
        verbose_name=_("lender"),
    )
    purpose = models.TextField(_("purpose of the loan"), blank=True)
    grant = models.ForeignKey(
        "grants.GrantApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("related mutualisation grant"),
    )
    loan_amount = models.DecimalField(_("loan amount (EUR)"), **MONEY, null=True, blank=True)
    duration_months = models.PositiveIntegerField(_("duration (months)"), null=True, blank=True)
    interest_rate = models.DecimalField(
        _("interest rate (percentage a year)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    repayment_profile = models.CharField(
        _("repayment profile"), max_length=20, choices=RepaymentProfile.choices, blank=True
    )
    requested_coverage = models.DecimalField(_("requested coverage (%)"), **PERCENT, null=True, blank=True)
    collateral = models.TextField(_("collateral"), blank=True)

    # -- risk review (officer) ---------------------------------------------------------------------
    risk_rating = models.CharField(
        _("risk rating"), max_length=1, choices=Rating.choices, blank=True, editable=False
    )
    risk_justification = models.TextField(_("justification of the rating"), blank=True, editable=False)
    recommendation = models.CharField(
        _("recommendation"), max_length=30, choices=Recommendation.choices, blank=True, editable=False
    )
    risk_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    risk_reviewed_at = models.DateTimeField(_("risk reviewed at"), null=True, blank=True, editable=False)

    # -- the offer (approver), on the parameter version then in force -------------------------------
    parameters = models.ForeignKey(
        SchemeParameters,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guarantees",
        editable=False,
        verbose_name=_("scheme parameters"),
    )
    coverage = models.DecimalField(_("coverage (%)"), **PERCENT, null=True, blank=True, editable=False)
    guaranteed_amount = models.DecimalField(
        _("guaranteed amount (EUR)"), **MONEY, null=True, blank=True, editable=False
    )
    fee_rate = models.DecimalField(_("fee rate (%)"), **PERCENT, null=True, blank=True, editable=False)
    fee_frequency = models.CharField(
        _("fee billing"), max_length=10, choices=FeeFrequency.choices, blank=True, editable=False
    )
    aid_equivalent = models.DecimalField(
        _("aid equivalent (EUR)"), **MONEY, null=True, blank=True, editable=False
    )
    offer_expires_on = models.DateField(_("offer valid until"), null=True, blank=True, editable=False)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True, editable=False)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    # -- activation (lender) -----------------------------------------------------------------------
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True, editable=False)
    disbursed_amount = models.DecimalField(
        _("disbursed amount (EUR)"), **MONEY, null=True, blank=True, editable=False
    )
    maturity_date = models.DateField(_("maturity"), null=True, blank=True, editable=False)

    # -- call and claim ----------------------------------------------------------------------------
    default_date = models.DateField(_("default date"), null=True, blank=True, editable=False)
    default_outstanding = models.DecimalField(
        _("outstanding principal at default (EUR)"), **MONEY, null=True, blank=True, editable=False
    )
    arrears_amount = models.DecimalField(_("arrears (EUR)"), **MONEY, null=True, blank=True, editable=False)
    arrears_days = models.PositiveIntegerField(_("days in arrears"), null=True, blank=True, editable=False)
    claim_amount = models.DecimalField(_("claim (EUR)"), **MONEY, null=True, blank=True, editable=False)
    claim_paid_at = models.DateTimeField(_("claim paid at"), null=True, blank=True, editable=False)

    # -- monitoring: what the latest lender declaration says, kept when a declaration is saved
    # (guarantees.selectors.refresh_monitoring_flags), so the work queue reads one column per row.
    class MonitoringFlag(models.TextChoices):
        NONE = "", _("Nothing to report")
        ARREARS_90 = "arrears_90", _("90+ days in arrears")
        ARREARS_60 = "arrears_60", _("60+ days in arrears")
        ARREARS_30 = "arrears_30", _("30+ days in arrears")
        LAGGING = "lagging", _("declared balance lags the schedule")

    monitoring_flag = models.CharField(
        _("monitoring"), max_length=12, choices=MonitoringFlag.choices, default="", blank=True, editable=False
    )

    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("guarantee request")
        verbose_name_plural = _("guarantee requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["administration", "-created_at", "-id", "state"], name="guarantee_admin_recent"
            ),
            models.Index(fields=["administration", "deadline"], name="guarantee_admin_deadline"),
            models.Index(fields=["borrower", "state"], name="guarantee_borrower_state"),
            models.Index(fields=["lender", "state"], name="guarantee_lender_state"),
            models.Index(fields=["state", "administration"], name="guarantee_state_admin"),
            # The work queue's rows of an administration (awaiting its staff, or running and flagged)
            # and their count, from the index alone rather than from every guarantee's row.
            models.Index(fields=["administration", "state", "monitoring_flag"], name="guarantee_queue"),
        ]

    def get_absolute_url(self) -> str:
        return f"/guarantees/requests/{self.pk}/"

    @property
    def title(self) -> str:
        return self.purpose[:80]

    @property
    def loan_type(self) -> str:
        return loan_type_of(self.repayment_profile)

    def deadline_for_state(self):
        if self.state in FINISHED:
            return None
        if self.state == State.OFFERED:
            return self.offer_expires_on
        if self.state in (State.DRAFT, State.ACTIVE, State.CLAIM_PAID):
            return None
        return self.processing_deadline()

    @property
    def offer_has_expired(self) -> bool:
        return self.offer_expires_on is not None and self.offer_expires_on < timezone.localdate()


class ScheduleLine(models.Model):
    request = models.ForeignKey(GuaranteeRequest, on_delete=models.CASCADE, related_name="schedule_lines")
    number = models.PositiveIntegerField(_("instalment"))
    due_date = models.DateField(_("due on"))
    principal = models.DecimalField(_("principal (EUR)"), **MONEY)
    interest = models.DecimalField(_("interest (EUR)"), **MONEY)
    outstanding_after = models.DecimalField(_("outstanding after (EUR)"), **MONEY)

    class Meta:
        verbose_name = _("schedule line")
        verbose_name_plural = _("schedule lines")
        ordering = ["request", "number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="one_line_per_instalment")]
        indexes = [models.Index(fields=["request", "due_date"], name="guarantee_schedule_due")]

    def __str__(self) -> str:
        return f"{self.request} #{self.number}"


class FeePeriod(models.Model):
    """One billing period of a guarantee's fee: its payment order is created once, when it is due."""

    request = models.ForeignKey(GuaranteeRequest, on_delete=models.CASCADE, related_name="fee_periods")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    amount = models.DecimalField(_("fee (EUR)"), **MONEY, null=True, blank=True)
    payment_order = models.OneToOneField(
        "core.PaymentOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    billed_at = models.DateTimeField(_("billed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fee period")
        verbose_name_plural = _("fee periods")
        ordering = ["request", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["request", "starts_on"], name="one_fee_per_period")]
        indexes = [models.Index(fields=["billed_at", "starts_on"], name="guarantee_fee_due")]

    def __str__(self) -> str:
        return f"{self.request} {self.starts_on}–{self.ends_on}"


class LenderDeclaration(models.Model):
    """A lender's quarterly declaration of a loan's outstanding balance and arrears."""

    request = models.ForeignKey(GuaranteeRequest, on_delete=models.CASCADE, related_name="declarations")
    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter declared."))
    as_of = models.DateField(_("balance on"))
    outstanding_principal = models.DecimalField(
        _("outstanding principal (EUR)"), **MONEY, validators=[MinValueValidator(0)]
    )
    arrears_amount = models.DecimalField(
        _("arrears (EUR)"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    arrears_days = models.PositiveIntegerField(_("days in arrears"), default=0)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lender declaration")
        verbose_name_plural = _("lender declarations")
        ordering = ["request", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["request", "quarter"], name="one_declaration_per_quarter")
        ]
        indexes = [models.Index(fields=["request", "-as_of"], name="guarantee_declaration_latest")]

    def __str__(self) -> str:
        return f"{self.request} {self.quarter}"


class Recovery(models.Model):
    """An amount the lender recovered after the claim; the fund's share is owed back to the fund."""

    request = models.ForeignKey(GuaranteeRequest, on_delete=models.CASCADE, related_name="recoveries")
    received_on = models.DateField(_("recovered on"))
    amount = models.DecimalField(_("recovered (EUR)"), **MONEY, validators=[MinValueValidator(0)])
    fund_share = models.DecimalField(_("fund's share (EUR)"), **MONEY)
    payment_order = models.OneToOneField(
        "core.PaymentOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    final = models.BooleanField(_("last recovery"), default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        ordering = ["request", "received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.received_on}: {self.amount}"
