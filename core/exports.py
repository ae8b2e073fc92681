"""Exports built for volume: columns read from `values_list`, CSV streamed, XLSX write-only.

A column names the database values it needs (`fields`) and how to turn them into a cell. Labels
(choice labels, names in the active language) are resolved once per export, when the export
starts, not once per row; rows come from one query read with a server-side cursor, so 10,000 files
never sit in memory as model instances. Headers are translated in the active language; values stay
machine-readable (amounts as numbers, dates as ISO dates in CSV and real dates in XLSX).
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language


class Kind:
    TEXT = "text"
    AMOUNT = "amount"
    DATE = "date"
    DATETIME = "datetime"


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Column:
    """`reader()` is called once per export and returns the function that makes a cell from the
    column's `fields` values; by default the value of its single field."""

    key: str
    header: Any  # a lazy translation
    fields: tuple[str, ...]
    reader: Callable[[], Callable[..., Any]] = lambda: _same
    kind: str = Kind.TEXT
    width: int = 18


def field(key: str, header, path: str, *, kind: str = Kind.TEXT, width: int = 18, convert=None) -> Column:
    """One database value, optionally converted (`convert` must not query)."""
    return Column(key, header, (path,), (lambda: convert) if convert else (lambda: _same), kind, width)


def choice(key: str, header, path: str, choices, *, width: int = 18) -> Column:
    """A choice shown by its label, translated once per export."""

    def reader():
        labels = {value: str(label) for value, label in choices}
        return lambda value: labels.get(value, value or "")

    return Column(key, header, (path,), reader, Kind.TEXT, width)


def translated(
    key: str, header, french: str, dutch: str, *, fallback: bool = False, width: int = 18
) -> Column:
    """A name kept in French and Dutch columns: the Dutch one for Dutch readers, else the French
    (with `fallback`, whichever is filled when the preferred one is empty)."""

    def reader():
        dutch_first = (get_language() or "fr").startswith("nl")
        if fallback:
            return (lambda fr, nl: nl or fr) if dutch_first else (lambda fr, nl: fr or nl)
        return (lambda fr, nl: nl or "") if dutch_first else (lambda fr, nl: fr or "")

    return Column(key, header, (french, dutch), reader, Kind.TEXT, width)


def local_datetime(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


# -- the rows ----------------------------------------------------------------------------------------


def rows(queryset: QuerySet, columns: list[Column], *, chunk_size: int = 2000) -> Iterator[list[Any]]:
    """The cells of each row, read lazily: one query, fetched `chunk_size` rows at a time.

    Labels are resolved here, in the language active now, even when the rows are read later (a
    streamed response is read after the view has returned)."""
    paths = list(dict.fromkeys(path for column in columns for path in column.fields))
    position = {path: index for index, path in enumerate(paths)}
    readers = [(tuple(position[path] for path in column.fields), column.reader()) for column in columns]

    def read_all():
        for record in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
            yield [read(*(record[index] for index in indexes)) for indexes, read in readers]

    return read_all()


def headers(columns: list[Column]) -> list[str]:
    return [str(column.header) for column in columns]


# -- CSV ---------------------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def neutralise_formula(text: str) -> str:
    """A cell starting with = + - @ would be run as a formula by spreadsheets (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Line:
    """A file-like object `csv.writer` writes one line into, handed back at once."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(
    columns: list[Column], rows: Iterable[list[Any]], *, rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so that Excel reads accents right; comma-separated (RFC 4180).
    The header goes out first, then a chunk every `rows_per_chunk` rows."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    header = ("\ufeff" + writer.writerow(headers(columns))).encode("utf-8")  # in today's language
    text = [column.kind == Kind.TEXT for column in columns]

    def lines():
        yield header
        chunk = []
        for row in rows:
            chunk.append(
                writer.writerow(
                    [
                        neutralise_formula(_csv_cell(value)) if is_text else _csv_cell(value)
                        for is_text, value in zip(text, row, strict=True)
                    ]
                )
            )
            if len(chunk) >= rows_per_chunk:
                yield "".join(chunk).encode("utf-8")
                chunk = []
        if chunk:
            yield "".join(chunk).encode("utf-8")

    return lines()


def to_csv(columns: list[Column], rows: Iterable[list[Any]]) -> bytes:
    return b"".join(csv_chunks(columns, rows))


def csv_response(columns: list[Column], rows: Iterable[list[Any]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- XLSX --------------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_FORMATS = {Kind.AMOUNT: "#,##0.00", Kind.DATE: "yyyy-mm-dd", Kind.DATETIME: "yyyy-mm-dd hh:mm"}


def to_xlsx(columns: list[Column], rows: Iterable[list[Any]], *, sheet_title: str) -> bytes:
    """One sheet, bold frozen header, amounts as numbers and dates as dates (openpyxl write-only:
    rows go to a temporary file as they come, never held as a worksheet in memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_row = []
    for text in headers(columns):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_row.append(cell)
    sheet.append(header_row)

    def text_cell(value):
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
            return cell
        return value

    def formatted(number_format):
        def make(value):
            if value is None:
                return None
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            return cell

        return make

    makers = [
        text_cell if column.kind == Kind.TEXT else formatted(XLSX_FORMATS[column.kind]) for column in columns
    ]
    for row in rows:
        sheet.append([make(value) for make, value in zip(makers, row, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(columns: list[Column], rows: Iterable[list[Any]], *, sheet_title: str, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(to_xlsx(columns, rows, sheet_title=sheet_title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- JSON --------------------------------------------------------------------------------------------


def to_records(columns: list[Column], rows: Iterable[list[Any]]) -> list[dict[str, Any]]:
    """JSON-ready records keyed by the columns' stable names; amounts as JSON numbers.

    An amount has at most 14 significant digits, so its float prints back exactly (e.g. 35000.5)."""
    keys = [column.key for column in columns]
    amounts = [column.kind == Kind.AMOUNT for column in columns]
    records = []
    for row in rows:
        record = {}
        for key, is_amount, value in zip(keys, amounts, row, strict=True):
            if value is not None and is_amount:
                value = float(value)
            elif isinstance(value, date):
                value = value.isoformat()
            record[key] = value
        records.append(record)
    return records


def record_personal_data_export(*, user, name: str, file_format: str, filters: dict, administrations) -> None:
    """SPEC §9 "Audit": an export of personal data leaves a history row — who, when, which export
    and filters — on each administration whose files it holds."""
    from .audit import record_event

    described = {key: str(value) for key, value in filters.items() if value not in (None, "", [])}
    for administration in administrations:
        record_event(
            target=administration,
            event="personal_data_exported",
            acting_user=user,
            parameters={"export": name, "format": file_format, "filters": described},
            staff_only=True,
        )
