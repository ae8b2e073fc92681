"""Validation of Belgian identifiers through well-kept libraries (python-stdnum, schwifty), and the
content check of every uploaded document (by what its bytes are, not by its name: filetype; zip
bombs refused from the archive's directory: zipfile; PDFs carrying scripts refused: pypdf)."""

import contextlib
import io
import logging
import os
import re
import resource
import select
import signal
import struct
import time
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PasswordType, PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import IndirectObject, NameObject, StreamObject
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.be import vat as enterprise_number_checker
from stdnum.exceptions import ValidationError as StdnumError

# pypdf logs a warning for each repair it makes: damaged and hostile uploads would fill the logs.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def normalise_enterprise_number(value: str) -> str:
    """'BE 0403.170.701' -> '0403170701' (the 10-digit BCE/KBO form stored in the database)."""
    return enterprise_number_checker.compact(value or "")


def validate_enterprise_number(value: str) -> None:
    try:
        enterprise_number_checker.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Enter a valid enterprise number (BCE/KBO): 10 digits such as 0403.170.701."),
            code="invalid_enterprise_number",
        ) from None


def normalise_iban(value: str) -> str:
    return (value or "").replace(" ", "").upper()


def validate_iban(value: str) -> None:
    try:
        IBAN(value)
    except SchwiftyException:
        raise ValidationError(
            _("Enter a valid IBAN, such as BE68 5390 0754 7034."), code="invalid_iban"
        ) from None


def validate_bic(value: str) -> None:
    try:
        BIC(value)
    except SchwiftyException:
        raise ValidationError(_("Enter a valid BIC, such as GEBABEBB."), code="invalid_bic") from None


PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# Media types accepted, by what the file's bytes say it is.
ALLOWED_MEDIA_TYPES = {
    PDF: "PDF",
    ODT: "ODT",
    DOCX: "DOCX",
    XLSX: "XLSX",
    ODS: "ODS",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}

# The same strings as core.error_codes.ErrorCode (a StrEnum), which accounts does not import.
DOCUMENT_TOO_LARGE = "document_too_large"
DOCUMENT_TYPE_NOT_ALLOWED = "document_type_not_allowed"


def detect_media_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload) -> str:
    """Refuse files that are too large, whose content is not an accepted format, or whose structure
    is hostile (a zip bomb, a PDF that runs scripts); return the media type."""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code=DOCUMENT_TOO_LARGE,
        )
    media_type = detect_media_type(upload)
    if media_type not in ALLOWED_MEDIA_TYPES:
        raise ValidationError(
            _("This file's content is not an accepted format. Accepted: %(formats)s.")
            % {"formats": ", ".join(ALLOWED_MEDIA_TYPES.values())},
            code=DOCUMENT_TYPE_NOT_ALLOWED,
        )
    if media_type in REQUIRED_ARCHIVE_MEMBERS:
        validate_office_archive(upload, media_type)
    elif media_type == PDF:
        validate_pdf(upload)
    return media_type


# -- office documents: zip archives, checked from their directory without ever expanding them ------

# Genuine office XML compresses 5 to 20 times; a zip bomb's few kilobytes expand to gigabytes in
# whoever opens it (the officer's office suite, a converter, openpyxl).
ARCHIVE_MEMBER_LIMIT = 10_000
ARCHIVE_EXPANDED_LIMIT = 200 * 1024 * 1024
ARCHIVE_RATIO_LIMIT = 100
ARCHIVE_RATIO_FROM = 1024 * 1024  # smaller members may compress as well as they like

REQUIRED_ARCHIVE_MEMBERS = {
    DOCX: ("[Content_Types].xml", "word/document.xml"),
    XLSX: ("[Content_Types].xml", "xl/workbook.xml"),
    ODT: ("mimetype",),
    ODS: ("mimetype",),
}

# A member's local file header (30 bytes, before its name): signature, version, flags, method, time,
# date, CRC, compressed size, expanded size, name length, extra length.
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
SIZES_IN_DATA_DESCRIPTOR = 0x08
UTF8_NAME = 0x800
ZIP64_SIZE = 0xFFFFFFFF


def validate_office_archive(upload, media_type: str) -> None:
    """Refuse a DOCX, XLSX, ODT or ODS whose archive is damaged, lacks its format's own parts, or would
    expand to an abnormal size or number of parts. Only the directory and the tiny `mimetype` member
    are read."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if _is_a_bomb(members):
                raise _archive_bomb(media_type)
            if not all(_local_header_agrees(upload, member) for member in members):
                raise _damaged_archive(media_type)
            names = {member.filename for member in members}
            if not set(REQUIRED_ARCHIVE_MEMBERS[media_type]) <= names:
                raise _damaged_archive(media_type)
            if "mimetype" in REQUIRED_ARCHIVE_MEMBERS[media_type]:
                with archive.open("mimetype") as declared:
                    if declared.read(len(media_type) + 1) != media_type.encode():
                        raise _damaged_archive(media_type)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        # Truncated or corrupt directories, impossible offsets, unknown compression methods.
        raise _damaged_archive(media_type) from None
    finally:
        upload.seek(0)


def _is_a_bomb(members: list[zipfile.ZipInfo]) -> bool:
    if len(members) > ARCHIVE_MEMBER_LIMIT:
        return True
    expanded = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members)
    return (
        expanded > ARCHIVE_EXPANDED_LIMIT
        or _expands_abnormally(expanded, compressed)
        or any(_expands_abnormally(member.file_size, member.compress_size) for member in members)
        # Deflate never grows data by more than a few bytes a block: a member larger compressed
        # than expanded declares a false size, to hide how far it really expands.
        or any(member.compress_size > member.file_size * 1.01 + 1024 for member in members)
    )


def _expands_abnormally(expanded: int, compressed: int) -> bool:
    return expanded > ARCHIVE_RATIO_FROM and expanded > ARCHIVE_RATIO_LIMIT * compressed


def _local_header_agrees(upload, member: zipfile.ZipInfo) -> bool:
    """Does the header in front of the member's data say what the directory says? Readers differ in
    which of the two they trust, so a lie in either one is how a bomb gets past a check."""
    upload.seek(member.header_offset)
    header = upload.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size:
        return False
    signature, _, flags, method, _, _, _, compressed, expanded, name_length, _ = LOCAL_HEADER.unpack(header)
    encoding = "utf-8" if flags & UTF8_NAME else "cp437"
    try:
        name = upload.read(name_length).decode(encoding)
    except UnicodeDecodeError:
        return False
    if (signature, method, name) != (b"PK\x03\x04", member.compress_type, member.orig_filename):
        return False
    sizes_elsewhere = flags & SIZES_IN_DATA_DESCRIPTOR or ZIP64_SIZE in (compressed, expanded)
    return bool(sizes_elsewhere) or (compressed, expanded) == (member.compress_size, member.file_size)


def _damaged_archive(media_type: str) -> ValidationError:
    return ValidationError(
        _(
            "This file is not a valid %(format)s document: it is damaged or incomplete. "
            "Save it again from its application and upload the new copy."
        )
        % {"format": ALLOWED_MEDIA_TYPES[media_type]},
        code=DOCUMENT_TYPE_NOT_ALLOWED,
    )


def _archive_bomb(media_type: str) -> ValidationError:
    return ValidationError(
        _(
            "This %(format)s document is refused: once opened, it would expand to an abnormal size "
            "or number of parts, as a “zip bomb” does."
        )
        % {"format": ALLOWED_MEDIA_TYPES[media_type]},
        code=DOCUMENT_TYPE_NOT_ALLOWED,
    )


# -- PDF: every object walked (object streams too) for what runs or opens something ------------------

# Names of what a viewer runs, launches, unpacks or sends: scripts (also those of /OpenAction and of
# /AA, whose actions say /S /JavaScript), programs, attached files, XFA forms, Flash and video
# players, form submissions to a web address.
ACTIVE_PDF_NAMES = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia", "/SubmitForm"}
)


def _escapable(name: str) -> bytes:
    """A pattern for `name` in which each letter may also be written as its `#xx` escape."""
    return b"".join(b"(?:%s|#(?i:%02x))" % (letter.encode(), ord(letter)) for letter in name)


# The same names in the raw bytes, in case an object hides outside the cross-reference table that
# pypdf follows; each letter may be written as a `#xx` escape. /JS is left to the walk: three bytes
# turn up by chance in a large compressed image.
ESCAPED_ACTIVE_NAME = re.compile(
    rb"/(?:%s)(?![^\s()<>\[\]{}/%%])"
    % b"|".join(_escapable(name.lstrip("/")) for name in sorted(ACTIVE_PDF_NAMES - {"/JS"}))
)


# A last cross-reference pointer to nowhere: pypdf then rebuilds the table by scanning the file for
# every object, as a viewer does with a file whose table is missing.
POINTER_TO_NOWHERE = b"\nstartxref\n0\n%%EOF\n"

# Parsing is pure Python, up to 7 s of processor time for a megabyte of crafted syntax outside
# streams: without bounds, a 10 MB file of tiny objects would hold a worker for minutes. A reportlab
# PDF of 2,000 pages of text holds 0.6 MB of such syntax and 4,200 objects, and takes 0.9 s.
PDF_SYNTAX_LIMIT = 1024 * 1024
PDF_OBJECT_LIMIT = 50_000  # members of object streams, which pypdf parses a stream at a time
PDF_CHECK_SECONDS = 3.0  # of this thread's processor time, so a busy server does not refuse more
# Reading the file's structure (pypdf rebuilding a broken cross-reference table) cannot be stopped
# from inside: the check runs in a child process with a hard limit on its processor time, and on
# its duration in case the machine is overloaded or the child hangs.
PDF_CHECK_CPU_LIMIT = 4  # seconds of the child's processor time (a 2,000-page PDF takes 0.9 s)
PDF_CHECK_WALL_LIMIT = 30.0  # seconds
STREAM_START = re.compile(rb"stream\r?\n")


def validate_pdf(upload) -> None:
    """Refuse a PDF that pypdf cannot read, that cannot be read without a password, that is too
    complex to be checked, or that carries active content (see ACTIVE_PDF_NAMES)."""
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        found = _active_names_bounded(content)
    except _PasswordProtected:
        raise ValidationError(
            _(
                "This PDF is protected by a password, so its content cannot be checked. "
                "Upload a copy without the password."
            ),
            code=DOCUMENT_TYPE_NOT_ALLOWED,
        ) from None
    except _TooComplex:
        raise ValidationError(
            _(
                "This PDF is too complex to be checked. Print it to a new PDF, or split it, and upload the new copy."
            ),
            code=DOCUMENT_TYPE_NOT_ALLOWED,
        ) from None
    except Exception:
        # On hostile input pypdf's parser raises whatever it trips on (PdfReadError, ValueError,
        # KeyError, RecursionError, LimitReachedError…): a PDF it cannot read cannot be checked.
        raise ValidationError(
            _(
                "This file is not a valid PDF: it is damaged or incomplete. "
                "Save or print it again as a PDF and upload the new copy."
            ),
            code=DOCUMENT_TYPE_NOT_ALLOWED,
        ) from None
    found |= {_unescaped(match.group()) for match in ESCAPED_ACTIVE_NAME.finditer(content)}
    if found:
        raise ValidationError(
            _(
                "This PDF contains scripts, attached files or other active content (%(found)s), which "
                "are not accepted. Print it to a new PDF and upload that copy."
            )
            % {"found": ", ".join(sorted(name.lstrip("/") for name in found))},
            code=DOCUMENT_TYPE_NOT_ALLOWED,
        )


class _PasswordProtected(Exception):
    pass


class _TooComplex(Exception):
    pass


class _Unreadable(Exception):
    pass


def _active_names_bounded(content: bytes) -> set[str]:
    """`_active_names_in_objects` in a forked child whose processor time and duration are bounded:
    a child killed at either bound means the file is too complex to check. The child only parses
    the bytes it was given and leaves with `os._exit`, so the parent's open connections and files
    are never touched. Where processes cannot be forked, the check runs in this process."""
    if not hasattr(os, "fork"):
        return _active_names_in_objects(content)
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's outcome is read by the parent below
        outcome = b"unreadable"
        try:
            os.close(reading)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # killed at the bound: no core file
            resource.setrlimit(resource.RLIMIT_CPU, (PDF_CHECK_CPU_LIMIT, PDF_CHECK_CPU_LIMIT + 1))
            outcome = b"found " + " ".join(sorted(_active_names_in_objects(content))).encode()
        except _PasswordProtected:
            outcome = b"password"
        except _TooComplex:
            outcome = b"complex"
        except BaseException:
            outcome = b"unreadable"
        finally:
            with contextlib.suppress(OSError):
                os.write(writing, outcome)
            os._exit(0)
    os.close(writing)
    try:
        outcome = _read_before(reading, time.monotonic() + PDF_CHECK_WALL_LIMIT)
    finally:
        os.close(reading)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)  # already gone when it answered; killed when it did not
        os.waitpid(child, 0)
    if outcome.startswith(b"found"):
        return set(outcome[len(b"found ") :].decode().split())
    raise {b"password": _PasswordProtected, b"unreadable": _Unreadable}.get(outcome, _TooComplex)


def _read_before(descriptor: int, deadline: float) -> bytes:
    """All the child writes before it closes the pipe (b"" when it was killed), or b"" at the deadline."""
    received = b""
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([descriptor], [], [], left)
        if not ready:
            break
        chunk = os.read(descriptor, 65536)
        if not chunk:
            return received
        received += chunk
    return b""


def _active_names_in_objects(content: bytes) -> set[str]:
    """The active names in every object the file's cross-reference table lists, those packed in
    object streams included (pypdf repairs a damaged table by scanning the file, as viewers do; so
    does a file whose table is missing)."""
    if _syntax_size(content) > PDF_SYNTAX_LIMIT:
        raise _TooComplex
    try:
        reader = PdfReader(io.BytesIO(content))
    except PdfReadError:
        reader = PdfReader(io.BytesIO(content + POINTER_TO_NOWHERE))
    if not any(reader.xref.values()):
        raise PdfReadError("no object at all")
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise _PasswordProtected
    deadline = time.thread_time() + PDF_CHECK_SECONDS
    found, packed = _active_names_in(reader.trailer), 0
    for generation, numbers in reader.xref.items():
        for number in numbers:
            pdf_object = _read_in_time(reader, IndirectObject(number, generation, reader), deadline)
            found |= _active_names_in(pdf_object)
            packed += _packed_count(pdf_object)
    # pypdf parses an object stream whole at its first member: count its members before that.
    if max(packed, len(reader.xref_objStm)) > PDF_OBJECT_LIMIT:
        raise _TooComplex
    for number in reader.xref_objStm:
        found |= _active_names_in(_read_in_time(reader, IndirectObject(number, 0, reader), deadline))
    return found


def _syntax_size(content: bytes) -> int:
    """How many bytes of the file pypdf parses token by token: all but the data of its streams."""
    size, position = 0, 0
    for start in STREAM_START.finditer(content):
        if start.start() < position:
            continue  # the `stream` of an `endstream`, or bytes inside a stream's data
        size += start.end() - position
        end = content.find(b"endstream", start.end())
        if end < 0:
            return size
        position = end + len(b"endstream")
    return size + len(content) - position


def _read_in_time(reader: PdfReader, reference: IndirectObject, deadline: float):
    if time.thread_time() > deadline:
        raise _TooComplex
    return reader.get_object(reference)


def _packed_count(pdf_object) -> int:
    """How many objects an object stream says it holds (0 for any other object)."""
    if not isinstance(pdf_object, StreamObject) or dict.get(pdf_object, "/Type") != "/ObjStm":
        return 0
    count = dict.get(pdf_object, "/N")
    return count if isinstance(count, int) else 0


def _active_names_in(pdf_object) -> set[str]:
    """The active names among the keys and values of one object, down its arrays and dictionaries
    (references to other objects are not followed: each object is walked on its own)."""
    found, pending = set(), [pdf_object]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            found |= ACTIVE_PDF_NAMES.intersection(item)
            pending.extend(dict.values(item))
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, NameObject) and item in ACTIVE_PDF_NAMES:
            found.add(str(item))
    return found


def _unescaped(name: bytes) -> str:
    return re.sub(
        rb"#([0-9A-Fa-f]{2})", lambda escape: bytes.fromhex(escape.group(1).decode()), name
    ).decode()
