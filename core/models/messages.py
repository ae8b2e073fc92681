"""Messages on a file between the parties' members and the administration, and internal notes that
only the administration's staff ever see. Append-only, like the history: a message is never edited
or removed once sent."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
    def for_file(self, file: models.Model) -> "MessageQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(file), object_id=file.pk)


class Message(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    # Which side wrote it, as it was when it was sent (a person may later change roles).
    from_administration = models.BooleanField(_("sent by the administration"))
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Seen by the administration's staff only.")
    )
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "sent_at"], name="message_by_file")]

    def __str__(self) -> str:
        return f"{self.author} {self.sent_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A message cannot be changed once sent.")
        super().save(*args, **kwargs)


def attachment_upload_path(attachment: "MessageAttachment", filename: str) -> str:
    message = attachment.message
    return f"messages/{message.content_type.app_label}/{message.object_id}/{attachment.key}"


class MessageAttachment(models.Model):
    """A file sent with a message: checked by content as every document is, and served only to
    those who may read the message (never from a public address)."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    content = models.FileField(_("file"), upload_to=attachment_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class MessageReceipt(models.Model):
    """Who read a message, and when: written the first time the message is shown to them."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["read_at", "id"]
        constraints = [models.UniqueConstraint(fields=["message", "reader"], name="one_receipt_per_reader")]

    def __str__(self) -> str:
        return f"{self.reader} {self.read_at:%Y-%m-%d %H:%M}"
