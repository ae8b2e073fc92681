from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin


class WorkflowFile(ConcurrentTransitionMixin, models.Model):
    """What every scheme's file has in common.

    A concrete file declares `state = FSMField(protected=True, ...)`, its `@transition` methods (see
    `core.workflow.transition`), `REFERENCE_PREFIX` (`MUT`, `GAR`, `MEN`) and the organisations whose
    members act on it or read it. `ConcurrentTransitionMixin` makes the losing writer of two
    concurrent transitions fail instead of silently overwriting the winner.
    """

    REFERENCE_PREFIX: str = ""

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference or f"{self._meta.verbose_name} #{self.pk}"

    # Scope: which organisations' members act on the file, and which may only read it.
    def acting_organisation_ids(self) -> set[int]:
        raise NotImplementedError

    def reading_organisation_ids(self) -> set[int]:
        return self.acting_organisation_ids()

    def may_upload_documents(self, user):
        """Who may add documents (a new version after submission); schemes may narrow it by state."""
        from core.permissions import is_applicant

        return is_applicant(self, user)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
