"""Typed uploads (core/documents.py): checked by content, versioned, never deleted once submitted."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from reportlab.pdfgen import canvas

from core.documents import attach_document, delete_document, document_series, upload_document, validate_upload
from core.exceptions import NotPermitted
from core.models import Document, DocumentType, HistoryEntry
from tests.factories import SampleFileFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


# -- tiny but real files --------------------------------------------------------------------------


def pdf_bytes(text: str = "Statuts de l'ASBL") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=image_format)
    return buffer.getvalue()


def zip_bytes(*entries: tuple[str, str]) -> bytes:
    """A zip whose first entry is stored uncompressed, as office suites write their containers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, content) in enumerate(entries):
            compression = zipfile.ZIP_STORED if index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


def opendocument_bytes(media_type: str) -> bytes:
    return zip_bytes(("mimetype", media_type), ("content.xml", "<office:document-content/>"))


def office_open_xml_bytes(part: str) -> bytes:
    return zip_bytes(("[Content_Types].xml", "<Types/>"), (part, "<document/>"))


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach(file, content: bytes = b"", name: str = "statuts.pdf", **kwargs) -> Document:
    return attach_document(
        file=file,
        document_type=kwargs.pop("document_type", DocumentType.STATUTES),
        upload=upload(name, content or pdf_bytes()),
        acting_user=kwargs.pop("acting_user", None) or UserFactory(),
        **kwargs,
    )


# -- accepted and refused content -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "media_type"),
    [
        ("statuts.pdf", pdf_bytes, PDF),
        ("attestation.png", lambda: image_bytes("PNG"), PNG),
        ("facture.jpg", lambda: image_bytes("JPEG"), JPEG),
        ("rapport.docx", lambda: office_open_xml_bytes("word/document.xml"), DOCX),
        ("budget.xlsx", lambda: office_open_xml_bytes("xl/workbook.xml"), XLSX),
        ("rapport.odt", lambda: opendocument_bytes(ODT), ODT),
        ("budget.ods", lambda: opendocument_bytes(ODS), ODS),
    ],
)
def test_an_accepted_format_is_recognised_by_its_content(name, build, media_type):
    assert validate_upload(upload(name, build())) == media_type


def test_a_text_file_named_like_a_pdf_is_refused():
    with pytest.raises(ValidationError) as refusal:
        validate_upload(upload("statuts.pdf", b"Just some text pretending to be a PDF.", PDF))

    assert refusal.value.code == "document_type_not_allowed"


def test_an_executable_is_refused():
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

    with pytest.raises(ValidationError) as refusal:
        validate_upload(upload("budget.pdf", executable))

    assert refusal.value.code == "document_type_not_allowed"


def test_a_plain_zip_archive_is_refused():
    archive = zip_bytes(("notes.txt", "hello"), ("more.txt", "world"))

    with pytest.raises(ValidationError) as refusal:
        validate_upload(upload("rapport.docx", archive))

    assert refusal.value.code == "document_type_not_allowed"


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=100)
def test_a_file_above_the_configured_size_limit_is_refused():
    content = pdf_bytes()
    assert len(content) > 100

    with pytest.raises(ValidationError) as refusal:
        validate_upload(upload("statuts.pdf", content))

    assert refusal.value.code == "document_too_large"


def test_a_refused_upload_stores_nothing():
    file = SampleFileFactory()

    with pytest.raises(ValidationError):
        attach(file, b"not a pdf at all", name="statuts.pdf")

    assert not Document.objects.for_file(file).exists()


# -- storing and versioning -----------------------------------------------------------------------


def test_an_attached_document_records_media_type_size_hash_and_version_one():
    content = pdf_bytes()

    document = attach(SampleFileFactory(), content)

    assert document.media_type == PDF
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.version == 1
    assert document.original_name == "statuts.pdf"


def test_an_attached_document_keeps_its_content_in_storage():
    content = pdf_bytes()

    document = attach(SampleFileFactory(), content)

    with document.content.open("rb") as stored:
        assert stored.read() == content


def test_a_replacement_is_version_two_of_the_same_series():
    file = SampleFileFactory()
    original = attach(file, pdf_bytes("v1"))

    replacement = attach(file, pdf_bytes("v2"), replaces=original)

    assert replacement.version == 2
    assert replacement.series == original.series


def test_a_replacement_keeps_the_previous_version():
    file = SampleFileFactory()
    original = attach(file, pdf_bytes("v1"))

    attach(file, pdf_bytes("v2"), replaces=original)

    assert Document.objects.filter(pk=original.pk).exists()
    assert Document.objects.for_file(file).count() == 2


def test_replacing_an_older_version_continues_after_the_latest():
    file = SampleFileFactory()
    original = attach(file, pdf_bytes("v1"))
    attach(file, pdf_bytes("v2"), replaces=original)

    third = attach(file, pdf_bytes("v3"), replaces=original)

    assert third.version == 3


def test_a_document_of_another_file_cannot_be_replaced():
    original = attach(SampleFileFactory(), pdf_bytes("v1"))

    with pytest.raises(ValidationError):
        attach(SampleFileFactory(), pdf_bytes("v2"), replaces=original)


def test_current_documents_are_only_the_latest_version_of_each_series():
    file = SampleFileFactory()
    statutes = attach(file, pdf_bytes("statutes v1"))
    statutes_v2 = attach(file, pdf_bytes("statutes v2"), replaces=statutes)
    budget = attach(file, image_bytes("PNG"), name="budget.png", document_type=DocumentType.BUDGET)

    current = Document.objects.for_file(file).current()

    assert set(current) == {statutes_v2, budget}


def test_documents_of_another_file_are_not_listed():
    file = SampleFileFactory()
    attach(SampleFileFactory())

    assert not Document.objects.for_file(file).exists()


# -- deleting -------------------------------------------------------------------------------------


def test_a_draft_may_delete_a_document():
    file = SampleFileFactory()
    document = attach(file)

    delete_document(document=document, file_is_submitted=False)

    assert not Document.objects.for_file(file).exists()


def test_a_document_of_a_submitted_file_cannot_be_deleted():
    document = attach(SampleFileFactory())

    with pytest.raises(ValidationError) as refusal:
        delete_document(document=document, file_is_submitted=True)

    assert refusal.value.code == "document_locked"
    assert Document.objects.filter(pk=document.pk).exists()


# -- history rows and the shared helpers ---------------------------------------------------------------


def history_events(file) -> list[tuple[str, dict]]:
    return [(row.transition, row.parameters) for row in HistoryEntry.objects.for_file(file).order_by("pk")]


def test_an_upload_leaves_a_history_row_with_the_documents_type_name_and_version():
    file = SampleFileFactory()

    attach(file, name="statuts.pdf")

    assert history_events(file) == [
        ("document_uploaded", {"document_type": "statutes", "name": "statuts.pdf", "version": 1})
    ]


def test_a_new_version_leaves_a_document_replaced_row():
    file = SampleFileFactory()
    first = attach(file)

    attach(file, replaces=first, name="statuts-v2.pdf")

    assert history_events(file)[-1] == (
        "document_replaced",
        {"document_type": "statutes", "name": "statuts-v2.pdf", "version": 2},
    )


def test_a_deletion_leaves_a_document_deleted_row_naming_who_deleted_it():
    file = SampleFileFactory()
    document = attach(file)
    person = UserFactory()

    delete_document(document=document, file_is_submitted=False, acting_user=person)

    row = HistoryEntry.objects.for_file(file).latest("pk")
    assert (row.transition, row.actor) == ("document_deleted", person)


def test_a_refused_upload_leaves_no_history_row():
    file = SampleFileFactory()

    with pytest.raises(ValidationError):
        attach(file, content=b"plain text")

    assert history_events(file) == []


def test_someone_outside_the_file_may_not_upload_a_document():
    file = SampleFileFactory()

    with pytest.raises(NotPermitted):
        upload_document(
            file=file,
            acting_user=UserFactory(),
            document_type=DocumentType.STATUTES,
            upload=upload("statuts.pdf", pdf_bytes()),
        )

    assert not Document.objects.exists()


def test_the_document_series_puts_the_latest_version_first_with_the_older_ones_beside_it():
    file = SampleFileFactory()
    first = attach(file)
    second = attach(file, replaces=first)
    other = attach(file, document_type=DocumentType.BUDGET)

    series = document_series(file)

    assert [(item["current"], item["older"]) for item in series] == [(other, []), (second, [first])]


def test_the_document_series_leaves_out_other_files_documents():
    file = SampleFileFactory()
    attach(SampleFileFactory())

    assert document_series(file) == []
