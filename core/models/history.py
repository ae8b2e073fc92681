from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryIsAppendOnly(Exception):
    """History rows are written once; nothing may change or remove them."""


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsAppendOnly("History entries cannot be changed.")

    def delete(self):
        raise HistoryIsAppendOnly("History entries cannot be deleted.")

    def for_file(self, file: models.Model) -> "HistoryQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(file), object_id=file.pk)

    def seen_by(self, user, file: models.Model) -> "HistoryQuerySet":
        """Without the rows kept for the file's administration (an internal note was added), unless
        `user` is on its staff."""
        from accounts.selectors import has_staff_role

        field = getattr(type(file), "ADMINISTRATION_FIELD", None)
        if field and has_staff_role(user, getattr(file, f"{field}_id")):
            return self
        return self.filter(staff_only=False)


class HistoryEntry(models.Model):
    """One transition of one file: who, when, from, to, comment and parameters.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them too.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=50)
    source_state = models.CharField(_("from"), max_length=50)
    target_state = models.CharField(_("to"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Shown to the staff of the file's administration only (e.g. "internal note added").
    staff_only = models.BooleanField(_("staff only"), default=False)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.transition}: {self.source_state} → {self.target_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly("History entries cannot be changed.")
        # Always an INSERT: a new object given an existing id must not silently UPDATE that row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly("History entries cannot be deleted.")
