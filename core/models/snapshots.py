from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionSnapshot(models.Model):
    """What a file said when it was submitted or resubmitted (its applicant-entered fields, its
    lines, its current documents), written in the submission's transaction; officers compare two
    snapshots to see what changed after an information request (core.changes). Append-only."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField(_("submission"))
    transition = models.CharField(_("transition"), max_length=50)
    taken_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    fields = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    rows = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    documents = models.JSONField(default=list, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("submission snapshot")
        verbose_name_plural = _("submission snapshots")
        ordering = ["content_type", "object_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="one_snapshot_per_submission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} #{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A submission snapshot is never changed.")
        super().save(*args, **kwargs)
