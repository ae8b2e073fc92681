"""Calls for applications with their envelopes, grant applications, budget lines, reviews, reports."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import WorkflowFile
from core.scope import Party
from core.todo import PartyTask

from .choices import BudgetCategory, InitiativeLegalForm, Recommendation, ReportKind
from .states import AWARDED_STATES, FINISHED, MAIN_PATH, State
from .workflow import GrantWorkflow

MONEY = {"max_digits": 14, "decimal_places": 2}


class Call(models.Model):
    """A call for applications: dates, the maximum per application, the advance, envelopes."""

    title_fr = models.CharField(_("title in French"), max_length=200)
    title_nl = models.CharField(_("title in Dutch"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    max_amount_per_application = models.DecimalField(
        _("maximum per application (EUR)"),
        **MONEY,
        default=Decimal("150000.00"),
        validators=[MinValueValidator(1)],
    )
    advance_percentage = models.DecimalField(
        _("advance (percentage of the award)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    acceptance_days = models.PositiveIntegerField(
        _("days to accept an award"), default=60, help_text=_("After this, an unaccepted award lapses.")
    )
    required_documents = models.JSONField(
        _("documents required at submission"),
        default=list,
        blank=True,
        help_text=_("Document types, e.g. statutes, budget, partnership_agreement."),
    )

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="call_closes_after_it_opens"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_nl if (get_language() or "fr").startswith("nl") else self.title_fr

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())


class Envelope(models.Model):
    """The budget a call gives one administration. Approvals lock this row to reserve within it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="envelopes", verbose_name=_("call"))
    administration = models.ForeignKey(
        "accounts.Administration",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    amount = models.DecimalField(_("envelope (EUR)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("budget envelope")
        verbose_name_plural = _("budget envelopes")
        constraints = [
            models.UniqueConstraint(fields=["call", "administration"], name="one_envelope_per_administration")
        ]

    def __str__(self) -> str:
        return f"{self.call} – {self.administration}"

    @property
    def remaining(self) -> Decimal:
        """Amount minus committed, on an envelope read with `selectors.envelopes_with_budget`."""
        return self.amount - self.committed


class GrantApplication(GrantWorkflow, WorkflowFile):
    # Scope (core.scope): the lead's members act on the file; the partners' members read it; staff of
    # the file's administration see it once it has left the draft.
    PARTIES = (Party("lead", "lead_organisation"), Party("partner", "partners", acts=False))
    APPLICANT_ROLES = ("lead",)
    HIDDEN_FROM_STAFF = (State.DRAFT,)
    PARTIES_ACT_IN = (State.DRAFT, State.INFORMATION_REQUESTED, State.APPROVED, State.IN_PROGRESS)
    # Everyone's tasks (core.todo).
    PARTY_TASKS = (
        PartyTask("submit", State.DRAFT, "lead", _("Complete and submit the draft")),
        PartyTask("answer", State.INFORMATION_REQUESTED, "lead", _("Answer the request for information")),
        PartyTask("accept_award", State.APPROVED, "lead", _("Accept the award")),
        PartyTask("final_report", State.IN_PROGRESS, "lead", _("Submit the final report")),
    )
    DECISION_STATES = (State.UNDER_REVIEW,)
    REVIEWED_BY = "reviews__reviewer"
    FINISHED_STATES = tuple(FINISHED)
    TASK_SUBJECT = "title"
    # What changed between submissions (core.changes): the transitions that submit, the lines compared.
    SUBMISSION_TRANSITIONS = ("submit", "resubmit")
    SNAPSHOT_ROWS = {"budget_lines": ("category", "description", "hours", "hourly_cost", "amount")}
    # The officers' search box (core.search).
    SEARCH_FIELDS = (
        "reference",
        "title",
        "description",
        "lead_organisation__name_fr",
        "lead_organisation__name_nl",
        "lead_organisation__enterprise_number",
    )
    SEARCH_TITLE = "title"
    # What an organisation's page adds up (core.organisation_picture).
    PICTURE_AMOUNT = ("awarded_amount", _("Awarded"), AWARDED_STATES)
    PROGRESS_STEPS = MAIN_PATH
    # The four-eyes rule and the approval's condition read the reviews; the review and decision
    # checks read the conflict-of-interest declarations.
    CHECKS_PREFETCH = ("reviews", "conflict_declarations")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="led_grants",
        verbose_name=_("lead organisation"),
    )
    partners = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="partner_grants",
        verbose_name=_("partner organisations"),
    )
    title = models.CharField(_("title of the initiative"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    axes = models.JSONField(_("axes of the mutualisation measure"), default=list, blank=True)
    types = models.JSONField(_("types of mutualisation"), default=list, blank=True)
    logics = models.JSONField(_("logics"), default=list, blank=True)
    initiative_legal_form = models.CharField(
        _("legal form of the initiative"), max_length=40, choices=InitiativeLegalForm.choices, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    requested_amount = models.DecimalField(_("requested amount (EUR)"), **MONEY, null=True, blank=True)
    expected_effects = models.TextField(_("expected effects on the public"), blank=True)
    other_public_funding = models.TextField(_("other public funding (cumulation)"), blank=True)
    other_public_funding_amount = models.DecimalField(
        _("other public funding (EUR)"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    awarded_amount = models.DecimalField(
        _("awarded amount (EUR)"), **MONEY, null=True, blank=True, editable=False
    )
    reserved_amount = models.DecimalField(
        _("amount reserved on the envelope (EUR)"), **MONEY, default=Decimal("0.00"), editable=False
    )
    accepted_expenses = models.DecimalField(
        _("accepted expenses (EUR)"), **MONEY, null=True, blank=True, editable=False
    )
    acceptance_deadline = models.DateField(_("accept before"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
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
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # What a call's envelopes read: the reservations of one call and administration, and the
            # ids of a call's files (for its paid orders), from the index alone.
            models.Index(
                fields=["call", "administration", "state"],
                include=["reserved_amount", "id"],
                name="grant_call_budget",
            ),
            # The list's default order; `state` last so the page's ids come from the index alone.
            models.Index(fields=["administration", "-created_at", "-id", "state"], name="grant_admin_recent"),
            models.Index(fields=["administration", "deadline"], name="grant_admin_deadline"),
            models.Index(fields=["lead_organisation", "-created_at"], name="grant_lead_recent"),
        ]

    def get_absolute_url(self) -> str:
        return f"/grants/applications/{self.pk}/"

    def deadline_for_state(self):
        """A draft is due when the call closes, an award when it must be accepted, a running grant's
        final report at the end of the initiative; a finished file has no deadline; the states that
        wait on the administration have its processing days."""
        if self.state in FINISHED:
            return None
        if self.state == State.DRAFT:
            return self.call.closes_on
        if self.state == State.APPROVED:
            return self.acceptance_deadline
        if self.state == State.IN_PROGRESS:
            return self.end_date
        return self.processing_deadline()

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines.all()), Decimal("0.00"))


class BudgetLine(models.Model):
    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("application")
    )
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    hourly_cost = models.DecimalField(
        _("hourly cost (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("amount (EUR)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description}"


class Review(models.Model):
    """An officer's scored review of an application under review."""

    SCORE = [MinValueValidator(0), MaxValueValidator(5)]

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    relevance = models.PositiveSmallIntegerField(_("relevance as mutualisation"), validators=SCORE)
    relevance_comment = models.TextField(_("comment on relevance"), blank=True)
    feasibility = models.PositiveSmallIntegerField(_("feasibility and planning"), validators=SCORE)
    feasibility_comment = models.TextField(_("comment on feasibility"), blank=True)
    partnership = models.PositiveSmallIntegerField(_("partnership and governance"), validators=SCORE)
    partnership_comment = models.TextField(_("comment on the partnership"), blank=True)
    budget = models.PositiveSmallIntegerField(_("budget soundness"), validators=SCORE)
    budget_comment = models.TextField(_("comment on the budget"), blank=True)
    public_effect = models.PositiveSmallIntegerField(_("effect on the public"), validators=SCORE)
    public_effect_comment = models.TextField(_("comment on the effect on the public"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    SCORE_FIELDS = ("relevance", "feasibility", "partnership", "budget", "public_effect")

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.reviewer}"

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in self.SCORE_FIELDS)


class Report(models.Model):
    """An interim activity report, or the final report with justified expenses per budget line."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="reports", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    activities = models.TextField(_("activities carried out"))
    results = models.TextField(_("results and effects on the public"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.application}"


class JustifiedExpense(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="expenses", verbose_name=_("report")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="justified_expenses", verbose_name=_("budget line")
    )
    amount = models.DecimalField(_("justified amount (EUR)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("justified expense")
        verbose_name_plural = _("justified expenses")
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="one_expense_per_budget_line")
        ]

    def __str__(self) -> str:
        return f"{self.budget_line}: {self.amount}"
