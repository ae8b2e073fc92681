from datetime import timedelta

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin

from .display import CachedChoiceLabelsMixin


class ProcessingDeadline(models.Model):
    """How many days a scheme's file may wait in a state before it is overdue (configurable)."""

    scheme = models.CharField(_("scheme"), max_length=20)
    state = models.CharField(_("state"), max_length=50)
    days = models.PositiveIntegerField(_("days"))

    class Meta:
        verbose_name = _("processing deadline")
        verbose_name_plural = _("processing deadlines")
        ordering = ["scheme", "state"]
        constraints = [models.UniqueConstraint(fields=["scheme", "state"], name="one_deadline_per_state")]

    def __str__(self) -> str:
        return f"{self.scheme} / {self.state}: {self.days}"


class WorkflowFile(CachedChoiceLabelsMixin, ConcurrentTransitionMixin, models.Model):
    """What every scheme's file has in common.

    A concrete file declares `state = FSMField(protected=True, ...)`, its `@transition` methods (see
    `core.workflow.transition`) and its scope (see `core.scope`): `PARTIES`, the organisations party
    to it and in which role; `APPLICANT_ROLES`, the parties whose members apply (all acting parties
    when empty); `HIDDEN_FROM_STAFF`, states its administration does not see. Its reference prefix
    and eligibility rules come from the scheme registry (`core.schemes`). `ConcurrentTransitionMixin`
    makes the losing writer of two concurrent transitions fail instead of silently overwriting.
    """

    PARTIES: tuple = ()
    APPLICANT_ROLES: tuple[str, ...] = ()
    ADMINISTRATION_FIELD = "administration"
    HIDDEN_FROM_STAFF: tuple[str, ...] = ()
    # States in which the parties' members hold the ball (answer, accept, report...); in the others
    # the administration does. Deadline reminders go to whoever holds it.
    PARTIES_ACT_IN: tuple[str, ...] = ()
    # Everyone's tasks (core.todo): what the parties must do in which state, the states an approver
    # decides in, the path to the recorded reviewer, the states in which nothing more happens, and
    # the field shown beside the reference.
    PARTY_TASKS: tuple = ()
    DECISION_STATES: tuple[str, ...] = ()
    REVIEWED_BY: str = ""
    FINISHED_STATES: tuple[str, ...] = ()
    TASK_SUBJECT: str = ""
    REFERENCE_PREFIX: str = ""  # only for file types outside the registry (tests)

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    # Instruction (core.instruction): no column here, the rows point at the file.
    assignments = GenericRelation("core.Assignment")
    review_requests = GenericRelation("core.ReviewRequest")
    conflict_declarations = GenericRelation("core.ConflictDeclaration")
    administration = models.ForeignKey(
        "accounts.Administration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration"),
    )
    eligibility_snapshot = models.JSONField(
        _("eligibility at submission"), null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    state_entered_at = models.DateTimeField(_("in this state since"), null=True, blank=True, editable=False)
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the next step is due; stored when the file enters its state."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # What the officers' search box reads (core.search): the values of `SEARCH_FIELDS`, kept up to
    # date on save and when a party organisation is renamed; full-text indexed on PostgreSQL.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference or f"{self._meta.verbose_name} #{self.pk}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.deadline is None:
            self.deadline = self.deadline_for_state()
        if getattr(type(self), "SEARCH_FIELDS", ()):
            from core.search import text_of

            self.search_text = text_of(self)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    # -- scope -------------------------------------------------------------------------------------

    def acting_organisation_ids(self) -> set[int]:
        from core.scope import party_organisation_ids

        return party_organisation_ids(self, *self.APPLICANT_ROLES, acting=True)

    def reading_organisation_ids(self) -> set[int]:
        from core.scope import party_organisation_ids

        return party_organisation_ids(self)

    def may_upload_documents(self, user):
        """Who may add documents (a new version after submission); schemes may narrow it by state."""
        from core.permissions import is_applicant

        return is_applicant(self, user)

    # -- deadlines ---------------------------------------------------------------------------------

    @classmethod
    def scheme_code(cls) -> str:
        from core.schemes import scheme_of

        try:
            return scheme_of(cls).code
        except LookupError:
            return ""

    def processing_deadline(self):
        """Today plus the days configured for the scheme and the current state (None if none is)."""
        days = (
            ProcessingDeadline.objects.filter(scheme=self.scheme_code(), state=str(self.state))
            .values_list("days", flat=True)
            .first()
        )
        return None if days is None else timezone.localdate() + timedelta(days=days)

    def deadline_for_state(self):
        """When the next step is due in the current state; schemes override for their own dates."""
        return self.processing_deadline()

    def entered_state(self) -> None:
        """Called by the transition service once the state has changed, before saving."""
        self.state_entered_at = timezone.now()
        self.deadline = self.deadline_for_state()

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
