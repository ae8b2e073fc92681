from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """A deadline reminder that was sent, so that each is sent once: before a file's deadline,
    after it, or for an overdue receivable."""

    class Kind(models.TextChoices):
        SOON = "soon", _("Deadline approaching")
        OVERDUE = "overdue", _("Deadline passed")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "deadline"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.deadline}"
