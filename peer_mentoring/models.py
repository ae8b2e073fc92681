"""Programme settings, mentors (status and profile), applications for mentor status, mentoring
agreements, monthly hours declarations and their lines (SPEC §6)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import WorkflowFile
from core.scope import Party
from core.todo import PartyTask

from .choices import Activity, MentorSource, Side
from .states import (
    AGREEMENT_FINISHED,
    AGREEMENT_MAIN_PATH,
    DECLARATION_FINISHED,
    DECLARATION_MAIN_PATH,
    AgreementState,
    DeclarationState,
    MentorApplicationState,
    MentorState,
)
from .workflow import AgreementWorkflow, DeclarationWorkflow

MONEY = {"max_digits": 14, "decimal_places": 2}
HOURS = {"max_digits": 6, "decimal_places": 2}


class ProgrammeSettings(models.Model):
    """The programme's defaults, edited by administrators (one row)."""

    default_hourly_rate = models.DecimalField(
        _("default hourly rate (EUR)"), **MONEY, default=Decimal("60.00"), validators=[MinValueValidator(0)]
    )
    default_hours_cap = models.DecimalField(
        _("default hours cap per agreement"),
        **HOURS,
        default=Decimal("60.00"),
        validators=[MinValueValidator(0)],
    )
    daily_maximum_hours = models.DecimalField(
        _("maximum hours on one day"),
        **HOURS,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(24)],
    )

    class Meta:
        verbose_name = _("mentoring programme settings")
        verbose_name_plural = _("mentoring programme settings")

    def __str__(self) -> str:
        return str(_("Mentoring programme settings"))

    @classmethod
    def current(cls) -> "ProgrammeSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()


class Mentor(models.Model):
    """An organisation's mentor status and its profile.

    The status is the one source of truth; `Organisation.is_mentor` is kept equal to "active" by the
    services (`services.set_mentor_state`) so that accounts' screens and API can show it."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="mentor",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("status"), max_length=20, choices=MentorState.choices, default=MentorState.ACTIVE
    )
    source = models.CharField(_("mentor because of"), max_length=20, choices=MentorSource.choices)
    grant = models.ForeignKey(
        "grants.GrantApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed grant"),
    )
    since = models.DateTimeField(_("mentor since"), auto_now_add=True)
    # -- profile, edited by the organisation's members (types, legal forms and languages are
    # `Expertise` rows, so the directory ranks mentors in SQL)
    joint_committees = models.ManyToManyField(
        "accounts.JointCommittee", blank=True, related_name="+", verbose_name=_("joint committees")
    )
    availability_hours = models.PositiveIntegerField(
        _("availability (hours per month)"), default=10, validators=[MaxValueValidator(200)]
    )
    presentation = models.TextField(_("presentation"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["pk"]
        indexes = [models.Index(fields=["state", "organisation"])]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_active(self) -> bool:
        return self.state == MentorState.ACTIVE

    def expertise_values(self, kind: str) -> list[str]:
        return sorted(e.value for e in self.expertise.all() if e.kind == kind)

    @property
    def types(self) -> list[str]:
        return self.expertise_values(Expertise.Kind.TYPE)

    @property
    def legal_forms(self) -> list[str]:
        return self.expertise_values(Expertise.Kind.LEGAL_FORM)

    @property
    def languages(self) -> list[str]:
        return self.expertise_values(Expertise.Kind.LANGUAGE)


class Expertise(models.Model):
    """One thing a mentor offers: a type of mutualisation mastered, a legal form experienced, a language."""

    class Kind(models.TextChoices):
        TYPE = "type", _("type of mutualisation")
        LEGAL_FORM = "legal_form", _("legal form")
        LANGUAGE = "language", _("language")

    mentor = models.ForeignKey(
        Mentor, on_delete=models.CASCADE, related_name="expertise", verbose_name=_("mentor")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=40)

    class Meta:
        verbose_name = _("mentor expertise")
        verbose_name_plural = _("mentor expertise")
        constraints = [models.UniqueConstraint(fields=["mentor", "kind", "value"], name="one_expertise_row")]
        indexes = [models.Index(fields=["kind", "value", "mentor"], name="expertise_lookup")]

    def __str__(self) -> str:
        return f"{self.mentor}: {self.get_kind_display()} {self.value}"


class MentorApplication(models.Model):
    """An organisation without a closed grant asks for mentor status, with evidence of a completed
    mutualisation; an officer of its administration approves it or refuses it with a reason."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="mentor_applications",
        verbose_name=_("organisation"),
    )
    administration = models.ForeignKey(
        "accounts.Administration",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    evidence = models.TextField(_("the completed mutualisation"), max_length=5000)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=MentorApplicationState.choices,
        default=MentorApplicationState.PENDING,
    )
    reason = models.TextField(_("reason"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application for mentor status")
        verbose_name_plural = _("applications for mentor status")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_state_display()})"


class Agreement(AgreementWorkflow, WorkflowFile):
    # Scope (core.scope): both organisations' members act on it; it belongs to the mentee's
    # administration, whose staff see it once both sides have agreed.
    PARTIES = (Party("mentor", "mentor"), Party("mentee", "mentee"))
    HIDDEN_FROM_STAFF = (AgreementState.DRAFT, AgreementState.PROPOSED)
    PROGRESS_STEPS = AGREEMENT_MAIN_PATH
    CHECKS_PREFETCH = ("conflict_declarations",)  # an approver with a declared conflict does not decide
    PARTIES_ACT_IN = (AgreementState.DRAFT, AgreementState.PROPOSED, AgreementState.ACTIVE)
    # Everyone's tasks (core.todo): the side that started the agreement proposes it, the other accepts.
    PARTY_TASKS = (
        *(
            PartyTask(
                "propose_agreement",
                AgreementState.DRAFT,
                side,
                _("Complete and propose the agreement"),
                models.Q(initiated_by=side),
            )
            for side in (Side.MENTOR, Side.MENTEE)
        ),
        *(
            PartyTask(
                "accept_agreement",
                AgreementState.PROPOSED,
                side,
                _("Accept the proposed agreement"),
                ~models.Q(initiated_by=side),
            )
            for side in (Side.MENTOR, Side.MENTEE)
        ),
    )
    DECISION_STATES = (AgreementState.SUBMITTED,)
    FINISHED_STATES = tuple(AGREEMENT_FINISHED)
    TASK_SUBJECT = "project"
    SEARCH_FIELDS = (
        "reference",
        "project",
        "objectives",
        "mentor__name_fr",
        "mentor__name_nl",
        "mentor__enterprise_number",
        "mentee__name_fr",
        "mentee__name_nl",
        "mentee__enterprise_number",
    )
    SEARCH_TITLE = "project"

    mentor = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="agreements_as_mentor",
        verbose_name=_("mentor organisation"),
    )
    mentee = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="agreements_as_mentee",
        verbose_name=_("mentee organisation"),
    )
    grant = models.ForeignKey(
        "grants.GrantApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the mentee's grant"),
    )
    project = models.CharField(_("the mentee's project"), max_length=200)
    objectives = models.TextField(_("objectives"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    planned_hours = models.DecimalField(
        _("planned hours"), **HOURS, validators=[MinValueValidator(Decimal("0.25"))]
    )
    hourly_rate = models.DecimalField(_("hourly rate (EUR)"), **MONEY, null=True, blank=True, editable=False)
    hours_cap = models.DecimalField(_("hours cap"), **HOURS, null=True, blank=True, editable=False)
    initiated_by = models.CharField(_("initiated by"), max_length=10, choices=Side.choices, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    # -- the mentee's evaluation, recorded at completion
    evaluation_usefulness = models.PositiveSmallIntegerField(
        _("usefulness"), null=True, blank=True, editable=False
    )
    evaluation_pooled = models.TextField(_("what was pooled"), blank=True, editable=False)
    evaluation_would_recommend = models.BooleanField(
        _("would recommend"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("mentoring agreement")
        verbose_name_plural = _("mentoring agreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentor_is_not_mentee"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="agreement_ends_after_it_starts"
            ),
        ]
        indexes = [
            models.Index(
                fields=["administration", "-created_at", "-id", "state"], name="agreement_admin_recent"
            ),
            models.Index(fields=["administration", "deadline"], name="agreement_admin_deadline"),
            models.Index(fields=["mentor", "-created_at"], name="agreement_mentor_recent"),
            models.Index(fields=["mentee", "-created_at"], name="agreement_mentee_recent"),
        ]

    def get_absolute_url(self) -> str:
        return f"/mentoring/agreements/{self.pk}/"

    def deadline_for_state(self):
        if self.state in AGREEMENT_FINISHED:
            return None
        if self.state == AgreementState.ACTIVE:
            return self.ends_on
        return self.processing_deadline()

    @property
    def other_side(self) -> str:
        return Side.MENTEE if self.initiated_by == Side.MENTOR else Side.MENTOR


class HoursDeclaration(DeclarationWorkflow, WorkflowFile):
    """The mentor's hours of one month on one agreement; its administration is the agreement's."""

    PARTIES = (Party("mentor", "agreement__mentor"), Party("mentee", "agreement__mentee"))
    APPLICANT_ROLES = ("mentor",)
    HIDDEN_FROM_STAFF = (DeclarationState.DRAFT,)
    PROGRESS_STEPS = DECLARATION_MAIN_PATH
    CHECKS_PREFETCH = ("conflict_declarations",)
    PARTIES_ACT_IN = (DeclarationState.DRAFT, DeclarationState.SUBMITTED, DeclarationState.CONTESTED)
    # Everyone's tasks (core.todo).
    PARTY_TASKS = (
        PartyTask("submit_hours", DeclarationState.DRAFT, "mentor", _("Complete and submit the hours")),
        PartyTask("correct_hours", DeclarationState.CONTESTED, "mentor", _("Correct the contested hours")),
        PartyTask("confirm_hours", DeclarationState.SUBMITTED, "mentee", _("Confirm or contest the hours")),
    )
    DECISION_STATES = (DeclarationState.CONFIRMED,)
    FINISHED_STATES = tuple(DECLARATION_FINISHED)
    TASK_SUBJECT = "agreement__project"
    # What changed between submissions (core.changes): after the mentee contested, the lines resubmitted.
    SUBMISSION_TRANSITIONS = ("submit", "resubmit")
    SNAPSHOT_ROWS = {"lines": ("date", "hours", "activity", "description")}
    SEARCH_FIELDS = (
        "reference",
        "agreement__reference",
        "agreement__project",
        "agreement__mentor__name_fr",
        "agreement__mentor__name_nl",
        "agreement__mentee__name_fr",
        "agreement__mentee__name_nl",
    )
    SEARCH_TITLE = "agreement__project"
    # What an organisation's page adds up (core.organisation_picture).
    PICTURE_AMOUNT = ("amount", _("Compensated"), (DeclarationState.VALIDATED,))

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("agreement")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month declared."))
    total_hours = models.DecimalField(_("hours declared"), **HOURS, default=Decimal("0.00"), editable=False)
    amount = models.DecimalField(_("compensation (EUR)"), **MONEY, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("hours declaration")
        verbose_name_plural = _("hours declarations")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "month"], name="one_declaration_per_agreement_month")
        ]
        indexes = [
            models.Index(fields=["agreement", "state"], name="declaration_agreement_state"),
            models.Index(
                fields=["administration", "-created_at", "-id", "state"], name="declaration_admin_recent"
            ),
            models.Index(fields=["administration", "deadline"], name="declaration_admin_deadline"),
            models.Index(fields=["administration", "month", "state"], name="declaration_admin_month"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.agreement} {self.month:%m/%Y}"

    def get_absolute_url(self) -> str:
        return f"/mentoring/declarations/{self.pk}/"

    def deadline_for_state(self):
        if self.state in DECLARATION_FINISHED:
            return None
        return self.processing_deadline()


class DeclarationLine(models.Model):
    declaration = models.ForeignKey(
        HoursDeclaration, on_delete=models.CASCADE, related_name="lines", verbose_name=_("declaration")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), **HOURS, validators=[MinValueValidator(Decimal("0.25"))])
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("declaration line")
        verbose_name_plural = _("declaration lines")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_activity_display()} {self.hours} h"
