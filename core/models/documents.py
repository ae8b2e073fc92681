import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    STATUTES = "statutes", _("Statutes")
    ANNUAL_ACCOUNTS = "annual_accounts", _("Annual accounts")
    BUDGET = "budget", _("Budget")
    BANK_ACCOUNT_CERTIFICATE = "bank_account_certificate", _("Bank-account certificate")
    PARTNERSHIP_AGREEMENT = "partnership_agreement", _("Partnership agreement")
    ACTIVITY_REPORT = "activity_report", _("Activity report")
    EXPENSE_EVIDENCE = "expense_evidence", _("Expense evidence")
    OTHER = "other", _("Other")


def document_upload_path(document: "Document", filename: str) -> str:
    return f"documents/{document.content_type.app_label}/{document.object_id}/{document.series}/v{document.version}"


class DocumentQuerySet(models.QuerySet):
    def for_file(self, file: models.Model) -> "DocumentQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(file), object_id=file.pk)

    def current(self) -> "DocumentQuerySet":
        """The latest version of each document (older versions stay, never deleted)."""
        newer = Document.objects.filter(
            content_type=models.OuterRef("content_type"),
            object_id=models.OuterRef("object_id"),
            series=models.OuterRef("series"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))


class Document(models.Model):
    """A typed upload attached to a file. A replacement is a new version of the same series."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = GenericForeignKey("content_type", "object_id")
    document_type = models.CharField(_("document type"), max_length=40, choices=DocumentType.choices)
    series = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    content = models.FileField(_("file"), upload_to=document_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["document_type", "uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "series", "version"], name="unique_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} – {self.original_name} (v{self.version})"
