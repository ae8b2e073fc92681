"""Writing uploaded files to the document storage, for every kind of upload (documents, message
attachments, recognition evidence).

A storage that cannot take the file (a full disk, a read-only volume, an object store that refuses)
is the person's clear error next to the file field, not a server error; and whatever the block stored
before it failed is deleted again, so that a failed upload leaves neither a row nor a file behind."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

try:  # an object store (django-storages' S3 backend) refuses or cannot be reached: botocore's errors
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - botocore comes with django-storages[s3]
    STORAGE_ERRORS = (OSError,)

# The same string as core.error_codes.ErrorCode.DOCUMENT_NOT_STORED (accounts does not import core).
DOCUMENT_NOT_STORED = "document_not_stored"


class _Stored:
    def __init__(self) -> None:
        self.files: list[tuple] = []

    def __call__(self, field_file: FieldFile, upload, *, field: str | None = None, name: str = "") -> None:
        """Store `upload` as `field_file`'s content (without saving its model instance); a refusal
        is about `field` when given."""
        try:
            field_file.save(name or getattr(upload, "name", None) or "document", upload, save=False)
        except STORAGE_ERRORS as error:
            logger.error("An upload could not be stored: %s", error)
            refusal = ValidationError(
                _(
                    "The file could not be stored: the document storage is full or unavailable. "
                    "Nothing was saved; please try again later."
                ),
                code=DOCUMENT_NOT_STORED,
            )
            raise (ValidationError({field: refusal}) if field else refusal) from error
        self.files.append((field_file.storage, field_file.name))

    def delete_all(self) -> None:
        for storage, name in self.files:
            try:
                storage.delete(name)
            except STORAGE_ERRORS as error:  # a storage that fails to write may fail to delete too
                logger.error("A file stored before a failure could not be deleted (%s): %s", name, error)


@contextmanager
def storing_uploads() -> Iterator[_Stored]:
    """`with storing_uploads() as store: store(field_file, upload)`: files stored in the block are
    deleted again when the block fails (the database rows roll back with the caller's transaction)."""
    stored = _Stored()
    try:
        yield stored
    except BaseException:
        stored.delete_all()
        raise
