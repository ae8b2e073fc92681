"""Instructing a file: who handles it (assignment), whom an approver asked to review it, and each
officer's declaration of any conflict of interest with the organisations party to it. Generic over
every file type (`WorkflowFile` has the reverse relations, so permission checks can prefetch them)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class _OnAFile(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class Assignment(_OnAFile):
    """The officer a file is assigned to (at most one at a time)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned to")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_assignment_per_file")
        ]
        indexes = [models.Index(fields=["officer", "content_type"], name="assignment_by_officer")]

    def __str__(self) -> str:
        return str(self.officer)


class ReviewRequest(_OnAFile):
    """An approver asked this officer to review the file."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "officer"], name="one_review_request_per_officer"
            )
        ]
        indexes = [models.Index(fields=["officer", "content_type"], name="review_request_by_officer")]

    def __str__(self) -> str:
        return str(self.officer)


class ConflictDeclaration(_OnAFile):
    """An officer's statement, before reviewing or deciding, that they have (or have not) a conflict
    of interest with the organisations party to the file. Declared once; a conflict is final."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    explanation = models.TextField(_("explanation"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "officer"], name="one_declaration_per_officer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer}: {'conflict' if self.has_conflict else 'none'}"
