"""Typed document uploads: checked by content (not by name), versioned, never deleted once submitted.

The content check itself (`validate_upload`) lives in `accounts.validators`, which recognition
evidence uses too; it is re-exported here for the schemes."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.storage import storing_uploads
from accounts.validators import ALLOWED_MEDIA_TYPES, detect_media_type, validate_upload

from .audit import record_event
from .error_codes import ErrorCode
from .exceptions import NotPermitted
from .models import Document

__all__ = [
    "ALLOWED_MEDIA_TYPES",
    "attach_document",
    "delete_document",
    "detect_media_type",
    "document_series",
    "upload_document",
    "validate_upload",
]


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def attach_document(
    *, file: models.Model, document_type: str, upload, acting_user, replaces: Document | None = None
) -> Document:
    """Store `upload` on `file`; with `replaces`, as the next version of that document."""
    media_type = validate_upload(upload)
    content_type = ContentType.objects.get_for_model(file)
    if replaces is not None:
        if (replaces.content_type_id, replaces.object_id) != (content_type.pk, file.pk):
            raise ValidationError(_("The document to replace belongs to another file."), code="invalid")
        latest = (
            Document.objects.select_for_update()
            .filter(content_type=content_type, object_id=file.pk, series=replaces.series)
            .order_by("-version")
            .first()
        )
        series, version = replaces.series, latest.version + 1
    else:
        series, version = None, 1
    document = Document(
        content_type=content_type,
        object_id=file.pk,
        document_type=document_type,
        version=version,
        original_name=getattr(upload, "name", "document")[:255],
        media_type=media_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=acting_user,
    )
    if series is not None:
        document.series = series
    with storing_uploads() as store:
        store(document.content, upload)
        document.save()
    record_event(
        target=file,
        event="document_replaced" if replaces is not None else "document_uploaded",
        acting_user=acting_user,
        parameters=_described(document),
    )
    return document


def upload_document(
    *, file: models.Model, acting_user, document_type: str, upload, replaces: Document | None = None
) -> Document:
    """A person adds a document to a file (or a new version of one), if the file lets them."""
    decision = file.may_upload_documents(acting_user)
    if not decision:
        raise NotPermitted(decision.reason)
    return attach_document(
        file=file, document_type=document_type, upload=upload, acting_user=acting_user, replaces=replaces
    )


def _described(document: Document) -> dict:
    """What a history row says of a document: its type, name and version."""
    return {
        "document_type": document.document_type,
        "name": document.original_name,
        "version": document.version,
    }


def document_series(file: models.Model) -> list[dict]:
    """Each document of `file` with its older versions (a replacement is a new version, never a
    deletion), in one query."""
    documents = (
        Document.objects.for_file(file)
        .select_related("uploaded_by")
        .order_by("document_type", "series", "-version")
    )
    series: dict = {}
    for document in documents:
        series.setdefault(document.series, []).append(document)
    return [{"current": versions[0], "older": versions[1:]} for versions in series.values()]


@transaction.atomic
def delete_document(*, document: Document, file_is_submitted: bool, acting_user=None) -> None:
    """Drafts may drop a document; once a file is submitted, documents are only ever replaced."""
    if file_is_submitted:
        raise ValidationError(
            _("Documents of a submitted file cannot be deleted; upload a new version instead."),
            code=ErrorCode.DOCUMENT_LOCKED,
        )
    Document.objects.filter(pk=document.pk).delete()
    if (file := document.file) is not None:
        record_event(
            target=file, event="document_deleted", acting_user=acting_user, parameters=_described(document)
        )
