"""Hostile uploads (accounts/validators.py): zip bombs dressed as office documents and PDFs carrying
scripts are refused with a clear message and store nothing; genuine documents still pass."""

import functools
import io
import os
import struct
import time
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from reportlab.pdfgen import canvas

from accounts import validators
from core.documents import upload_document, validate_upload
from core.models import Document, DocumentType, HistoryEntry
from core.pdf import letter_pdf
from tests.core.test_documents import zip_bytes
from tests.factories import OrganisationFactory, SampleFileFactory, administration, applicant
from tests.grants.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

REFUSED = "document_type_not_allowed"
BOMB = (
    "This XLSX document is refused: once opened, it would expand to an abnormal size or number of "
    "parts, as a “zip bomb” does."
)
DAMAGED_XLSX = (
    "This file is not a valid XLSX document: it is damaged or incomplete. "
    "Save it again from its application and upload the new copy."
)
SCRIPTS = (
    "This PDF contains scripts, attached files or other active content (JS, JavaScript), which are "
    "not accepted. Print it to a new PDF and upload that copy."
)
NOT_A_PDF = (
    "This file is not a valid PDF: it is damaged or incomplete. "
    "Save or print it again as a PDF and upload the new copy."
)
PASSWORD = (
    "This PDF is protected by a password, so its content cannot be checked. "
    "Upload a copy without the password."
)
TOO_COMPLEX = (
    "This PDF is too complex to be checked. Print it to a new PDF, or split it, and upload the new copy."
)


# -- crafted archives -----------------------------------------------------------------------------


archive = zip_bytes  # a zip as office suites write them (first member stored, others deflated)


def spreadsheet(*parts: tuple[str, bytes]) -> bytes:
    return archive(("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>"), *parts)


BOMB_MEMBERS = {
    "xlsx": ("[Content_Types].xml", b"<Types/>", "xl/workbook.xml"),
    "docx": ("[Content_Types].xml", b"<Types/>", "word/document.xml"),
    "odt": ("mimetype", b"application/vnd.oasis.opendocument.text", "content.xml"),
    "ods": ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", "content.xml"),
}


@functools.cache
def zip_bomb(extension: str = "xlsx") -> bytes:
    """50 MB of zeros deflated to some 50 KB (a 1,000 to 1 ratio), behind the format's own first
    member; built once per module."""
    first, content, bomb = BOMB_MEMBERS[extension]
    return archive((first, content), (bomb, bytes(50 * 1024 * 1024)))


def random_text(size: int) -> bytes:
    """Hexadecimal noise: deflates about 2 to 1, like genuine XML rather than a bomb."""
    return os.urandom(size // 2).hex().encode()


def with_sizes(
    content: bytes, name: str, *, compressed: int, expanded: int, central: bool, local: bool
) -> bytes:
    """`content` with the sizes `name` declares rewritten in its directory entry and/or local header."""
    data = bytearray(content)
    encoded = name.encode()
    if central:
        entry = data.index(b"PK\x01\x02")
        while data[entry + 46 : entry + 46 + len(encoded)] != encoded:
            entry = data.index(b"PK\x01\x02", entry + 4)
        data[entry + 20 : entry + 28] = struct.pack("<LL", compressed, expanded)
    if local:
        header = data.index(b"PK\x03\x04")
        while data[header + 30 : header + 30 + len(encoded)] != encoded:
            header = data.index(b"PK\x03\x04", header + 4)
        data[header + 18 : header + 26] = struct.pack("<LL", compressed, expanded)
    return bytes(data)


@pytest.fixture(autouse=True)
def in_english():
    """The refusals are lazy translations, read in English here (the site's default is French)."""
    with translation.override("en"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal_of(name: str, content: bytes) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        validate_upload(upload(name, content))
    return refusal.value


# -- crafted PDFs ---------------------------------------------------------------------------------


def reportlab_pdf(text: str = "Statuts de l'ASBL") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def rewritten(*changes) -> bytes:
    """A reportlab PDF rewritten by pypdf after `changes` (each a function of the writer)."""
    writer = PdfWriter(clone_from=io.BytesIO(reportlab_pdf()))
    for change in changes:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_action(action: bytes, *, packed: bool = True) -> bytes:
    """A one-page PDF 1.5 whose catalog's /OpenAction is object 4, `action`; `packed`, that object
    lives in a deflated object stream, listed by a cross-reference stream: no byte search sees it."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    if not packed:
        objects[4] = action
    index = b"4 0 "
    stream = zlib.compress(index + action)
    pdf, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number, body in objects.items():
        offsets[number] = len(pdf)
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[5] = len(pdf)
    pdf += b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(index),
        len(stream),
    )
    pdf += stream + b"\nendstream\nendobj\n"
    offsets[6] = len(pdf)
    rows = [struct.pack(">BLH", 0, 0, 65535)]  # /W [1 4 2]: type, offset or stream, generation or index
    for number in range(1, 7):
        in_stream = number == 4 and packed
        rows.append(struct.pack(">BLH", 2, 5, 0) if in_stream else struct.pack(">BLH", 1, offsets[number], 0))
    table = b"".join(rows)
    pdf += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
    pdf += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(pdf)


# -- zip bombs and damaged archives ---------------------------------------------------------------


@pytest.mark.parametrize("extension", ["xlsx", "docx", "odt", "ods"])
def test_a_zip_bomb_is_refused_whatever_office_format_it_claims(extension):
    refusal = refusal_of(f"budget.{extension}", zip_bomb(extension))

    assert refusal.code == REFUSED
    assert "zip bomb" in refusal.messages[0]


def test_a_zip_bomb_named_xlsx_is_refused_with_a_clear_message():
    refusal = refusal_of("budget.xlsx", zip_bomb())

    assert (refusal.code, refusal.messages) == (REFUSED, [BOMB])


def test_an_archive_expanding_beyond_the_total_bound_is_refused(monkeypatch):
    monkeypatch.setattr(validators, "ARCHIVE_EXPANDED_LIMIT", 1024 * 1024)
    honest_ratio = spreadsheet(("xl/worksheets/sheet1.xml", random_text(2 * 1024 * 1024)))

    assert refusal_of("budget.xlsx", honest_ratio).messages == [BOMB]


def test_an_archive_of_more_than_ten_thousand_members_is_refused():
    members = [(f"xl/media/{number}.xml", b"") for number in range(10_000)]

    assert refusal_of("budget.xlsx", spreadsheet(*members)).messages == [BOMB]


def test_a_member_declaring_fewer_bytes_than_it_compresses_to_is_refused():
    bomb = spreadsheet(("xl/worksheets/sheet1.xml", random_text(64 * 1024)))
    compressed = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml").compress_size
    liar = with_sizes(
        bomb, "xl/worksheets/sheet1.xml", compressed=compressed, expanded=10, central=True, local=True
    )

    assert refusal_of("budget.xlsx", liar).messages == [BOMB]


def test_a_member_whose_local_header_disagrees_with_the_directory_is_refused():
    genuine = spreadsheet(("xl/worksheets/sheet1.xml", b"<worksheet/>" * 100))
    compressed = zipfile.ZipFile(io.BytesIO(genuine)).getinfo("xl/worksheets/sheet1.xml").compress_size
    disagreeing = with_sizes(
        genuine, "xl/worksheets/sheet1.xml", compressed=compressed, expanded=10**9, central=False, local=True
    )

    assert refusal_of("budget.xlsx", disagreeing).messages == [DAMAGED_XLSX]


def test_a_truncated_xlsx_is_refused_as_damaged():
    genuine = spreadsheet(("xl/worksheets/sheet1.xml", random_text(20_000)))

    assert refusal_of("budget.xlsx", genuine[: len(genuine) // 2]).messages == [DAMAGED_XLSX]


def test_an_xlsx_without_its_workbook_is_refused():
    no_workbook = archive(("[Content_Types].xml", b"<Types/>"), ("xl/styles.xml", b"<styleSheet/>"))

    assert refusal_of("budget.xlsx", no_workbook).messages == [DAMAGED_XLSX]


def test_a_docx_without_its_document_is_refused():
    no_document = archive(("[Content_Types].xml", b"<Types/>"), ("word/styles.xml", b"<styles/>"))

    refusal = refusal_of("rapport.docx", no_document)

    assert (refusal.code, refusal.messages[0].startswith("This file is not a valid DOCX document")) == (
        REFUSED,
        True,
    )


def test_an_opendocument_whose_mimetype_names_another_format_is_refused():
    # filetype compares only the beginning of the `mimetype` member: a template passes it as ODT.
    template = archive(
        ("mimetype", b"application/vnd.oasis.opendocument.text-template"), ("content.xml", b"<x/>")
    )

    assert refusal_of("rapport.odt", template).messages[0].startswith("This file is not a valid ODT document")


def test_a_spreadsheet_written_by_openpyxl_is_accepted():
    workbook = Workbook()
    for row in range(1, 2_000):
        workbook.active.append([f"Poste {row}", row * 12.5, "=B1*2"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert validate_upload(upload("budget.xlsx", buffer.getvalue())) == XLSX


def test_a_large_member_that_compresses_like_genuine_xml_is_accepted():
    large = spreadsheet(("xl/worksheets/sheet1.xml", random_text(3 * 1024 * 1024)))

    assert validate_upload(upload("budget.xlsx", large)) == XLSX


# -- PDFs carrying active content -----------------------------------------------------------------


def test_a_reportlab_pdf_is_accepted():
    assert validate_upload(upload("statuts.pdf", reportlab_pdf())) == PDF


def test_a_letter_the_project_writes_is_accepted():
    letter = letter_pdf(
        administration=administration("cocof"),
        organisation=OrganisationFactory(),
        language="fr",
        title="Décision d'octroi",
        reference="MUT-2026-00042",
        paragraphs=["La subvention est accordée."],
    )

    assert validate_upload(upload("decision.pdf", letter)) == PDF


def test_a_pdf_opening_with_javascript_is_refused_with_a_clear_message():
    scripted = rewritten(lambda writer: writer.add_open_action(JavaScript("app.alert('hello');")))

    refusal = refusal_of("statuts.pdf", scripted)

    assert (refusal.code, refusal.messages) == (REFUSED, [SCRIPTS])


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    hidden = pdf_with_action(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden

    assert refusal_of("statuts.pdf", hidden).messages == [SCRIPTS]


@pytest.mark.parametrize("packed", [False, True], ids=["in-the-open", "in-an-object-stream"])
def test_names_written_with_hex_escapes_are_read_as_the_names_they_spell(packed):
    escaped = pdf_with_action(b"<< /S /J#61v#61Script /J#53 (app.alert(1)) >>", packed=packed)

    assert refusal_of("statuts.pdf", escaped).messages == [SCRIPTS]


@pytest.mark.parametrize(
    ("action", "named"),
    [
        (b"<< /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>", "Launch"),
        (b"<< /Type /EmbeddedFile /Subtype /application#2Fpdf >>", "EmbeddedFile"),
        (b"<< /Fields [] /XFA (<xdp:xdp/>) >>", "XFA"),
        (b"<< /Type /Annot /Subtype /RichMedia >>", "RichMedia"),
        (b"<< /S /SubmitForm /F (https://example.org/collect) >>", "SubmitForm"),
        (b"<< /AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> >>", "JavaScript"),
    ],
    ids=["launch", "embedded-file", "xfa-form", "rich-media", "submit-form", "additional-action"],
)
def test_each_kind_of_active_content_is_refused_and_named(action, named):
    refusal = refusal_of("statuts.pdf", pdf_with_action(action))

    assert refusal.code == REFUSED
    assert named in refusal.messages[0]


def test_a_pdf_with_an_attached_file_is_refused():
    attached = rewritten(lambda writer: writer.add_attachment("macro.xlsm", b"PK\x03\x04"))

    assert "EmbeddedFiles" in refusal_of("statuts.pdf", attached).messages[0]


def test_a_pdf_opening_on_a_page_is_accepted():
    assert validate_upload(upload("statuts.pdf", pdf_with_action(b"<< /S /GoTo /D [3 0 R /Fit] >>"))) == PDF


def test_a_password_protected_pdf_is_refused():
    protected = rewritten(lambda writer: writer.encrypt("secret", "owner", algorithm="AES-128"))

    assert refusal_of("statuts.pdf", protected).messages == [PASSWORD]


def test_a_pdf_encrypted_only_against_editing_is_accepted():
    restricted = rewritten(lambda writer: writer.encrypt("", "owner", algorithm="AES-256"))

    assert validate_upload(upload("attestation.pdf", restricted)) == PDF


def test_scripts_in_a_pdf_encrypted_only_against_editing_are_refused():
    restricted = rewritten(
        lambda writer: writer.add_open_action(JavaScript("app.alert(1)")),
        lambda writer: writer.encrypt("", "owner", algorithm="AES-128"),
    )

    assert refusal_of("attestation.pdf", restricted).messages == [SCRIPTS]


def test_a_pdf_that_cannot_be_read_is_refused_as_not_valid():
    assert refusal_of("statuts.pdf", b"%PDF-1.7\n" + os.urandom(4096)).messages == [NOT_A_PDF]


def test_a_pdf_without_a_cross_reference_table_is_repaired_and_accepted():
    no_table = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    assert validate_upload(upload("statuts.pdf", no_table)) == PDF


def test_a_pdf_with_more_syntax_than_the_bound_is_refused_as_too_complex(monkeypatch):
    monkeypatch.setattr(validators, "PDF_SYNTAX_LIMIT", 100)

    assert refusal_of("statuts.pdf", reportlab_pdf()).messages == [TOO_COMPLEX]


def test_object_streams_holding_more_members_than_the_bound_are_refused_as_too_complex(monkeypatch):
    monkeypatch.setattr(validators, "PDF_OBJECT_LIMIT", 0)

    assert refusal_of("statuts.pdf", pdf_with_action(b"<< /S /GoTo >>")).messages == [TOO_COMPLEX]


def test_a_check_running_out_of_time_is_refused_as_too_complex(monkeypatch):
    monkeypatch.setattr(validators, "PDF_CHECK_SECONDS", -1.0)

    assert refusal_of("statuts.pdf", reportlab_pdf()).messages == [TOO_COMPLEX]


def spin_forever(*args, **kwargs):
    """What pypdf rebuilding a crafted cross-reference table looks like from outside: no way in."""
    while True:
        pass


def test_a_check_stuck_where_it_cannot_be_interrupted_is_stopped_at_its_processor_time_bound(monkeypatch):
    monkeypatch.setattr(validators, "PDF_CHECK_CPU_LIMIT", 1)
    monkeypatch.setattr(validators, "PdfReader", spin_forever)
    started = time.monotonic()

    refusal = refusal_of("statuts.pdf", reportlab_pdf())

    assert refusal.messages == [TOO_COMPLEX]
    assert time.monotonic() - started < 10


@pytest.fixture
def hanging_check(monkeypatch):
    """A check that would sleep a minute, bounded to half a second."""
    monkeypatch.setattr(validators, "PDF_CHECK_WALL_LIMIT", 0.5)
    monkeypatch.setattr(validators, "PdfReader", lambda *args, **kwargs: time.sleep(60))


def test_a_check_that_hangs_is_stopped_at_its_duration_bound(hanging_check):
    started = time.monotonic()

    refusal = refusal_of("statuts.pdf", reportlab_pdf())

    assert refusal.messages == [TOO_COMPLEX]
    assert time.monotonic() - started < 5


def test_a_check_stopped_at_its_bound_leaves_no_process_behind(hanging_check, monkeypatch):
    children, real_fork = [], os.fork

    def fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(validators.os, "fork", fork)

    refusal_of("statuts.pdf", reportlab_pdf())

    (child,) = children
    with pytest.raises(ProcessLookupError):  # killed and reaped: not even a zombie is left
        os.kill(child, 0)


# -- nothing is stored, on every path -------------------------------------------------------------


def stored_files(directory: str = "") -> set[str]:
    directories, files = default_storage.listdir(directory)
    inside = {name for child in directories for name in stored_files(f"{directory}{child}/")}
    return {f"{directory}{name}" for name in files} | inside


@pytest.mark.parametrize(
    ("name", "build"),
    [("budget.xlsx", zip_bomb), ("statuts.pdf", lambda: pdf_with_action(b"<< /S /JavaScript /JS (x) >>"))],
    ids=["zip-bomb", "pdf-with-javascript"],
)
def test_a_hostile_upload_stores_no_row_no_history_and_no_file(name, build):
    file = SampleFileFactory()
    before = stored_files()

    with pytest.raises(ValidationError):
        upload_document(
            file=file,
            acting_user=applicant(file.organisation),
            document_type=DocumentType.BUDGET,
            upload=upload(name, build()),
        )

    assert not Document.objects.exists()
    assert not HistoryEntry.objects.for_file(file).filter(transition="document_uploaded").exists()
    assert stored_files() == before


def test_a_pdf_with_javascript_is_refused_next_to_the_web_forms_file_field():
    application = GrantApplicationFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(applicant(application.lead_organisation, preferred_language="en"))
    scripted = SimpleUploadedFile("statuts.pdf", pdf_with_action(b"<< /S /JavaScript /JS (x) >>"))

    response = client.post(
        f"/grants/applications/{application.pk}/documents/",
        {"document_type": "statutes", "content": scripted},
    )

    assert response.status_code == 400
    assert b'id="id_content_errors"' in response.content
    assert b"other active content (JS, JavaScript)" in response.content
    assert not Document.objects.exists()


def test_a_zip_bomb_is_refused_by_the_api_with_a_field_error(api_client):
    file = SampleFileFactory()
    api_client.force_authenticate(applicant(file.organisation))

    response = api_client.post(
        f"/api/v1/test/samples/{file.pk}/documents/",
        {"document_type": "budget", "file": SimpleUploadedFile("budget.xlsx", zip_bomb())},
        format="multipart",
    )

    assert response.status_code == 400
    assert "zip bomb" in str(response.json()["errors"]["file"])
    assert not Document.objects.exists()
