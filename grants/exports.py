"""Exports of grant files: the officer list (CSV, XLSX) and the open data on awarded grants (CSV, JSON).

Each export is one query (the rows with `select_related`), then pure formatting: a column says how to
read a value from a file and whether it is an amount or a date, so CSV and XLSX share one definition.
Headers are translated in the active language; values stay machine-readable (amounts as numbers,
dates as ISO dates in CSV and real dates in XLSX).
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import GrantApplication
from .selectors import applications_visible_to, filter_applications
from .states import AWARDED_STATES


class Kind:
    TEXT = "text"
    AMOUNT = "amount"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # a lazy translation
    value: Callable[[GrantApplication], Any]
    kind: str = Kind.TEXT
    width: int = 18


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _enterprise_number(application: GrantApplication) -> str:
    """The official notation 0412.345.614: spreadsheets keep it as text, with its leading zero."""
    number = application.lead_organisation.enterprise_number
    return f"{number[:4]}.{number[4:7]}.{number[7:]}" if len(number) == 10 else number


OFFICER_COLUMNS = [
    Column("reference", _("Reference"), lambda a: a.reference or "", width=16),
    Column("title", _("Title"), lambda a: a.title, width=48),
    Column("lead_organisation", _("Lead organisation"), lambda a: a.lead_organisation.name, width=36),
    Column("enterprise_number", _("Enterprise number"), _enterprise_number),
    Column(
        "administration", _("Administration"), lambda a: a.administration.name if a.administration else ""
    ),
    Column("call", _("Call"), lambda a: a.call.title, width=40),
    Column("state", _("State"), lambda a: str(a.get_state_display()), width=24),
    Column("requested_amount", _("Requested (EUR)"), lambda a: a.requested_amount, Kind.AMOUNT),
    Column("awarded_amount", _("Awarded (EUR)"), lambda a: a.awarded_amount, Kind.AMOUNT),
    Column("submitted_at", _("Submitted at"), lambda a: _local(a.submitted_at), Kind.DATETIME),
    Column("deadline", _("Deadline"), lambda a: a.deadline, Kind.DATE, width=14),
]

OPEN_DATA_COLUMNS = [
    Column("reference", _("Reference"), lambda a: a.reference or "", width=16),
    Column("organisation_name", _("Organisation"), lambda a: a.lead_organisation.name, width=36),
    Column("enterprise_number", _("Enterprise number"), _enterprise_number),
    Column("project_title", _("Project"), lambda a: a.title, width=48),
    Column("awarded_amount", _("Awarded (EUR)"), lambda a: a.awarded_amount, Kind.AMOUNT),
    Column("decision_date", _("Decision date"), lambda a: _local_date(a.decided_at), Kind.DATE, width=14),
    Column(
        "administration", _("Administration"), lambda a: a.administration.name if a.administration else ""
    ),
    Column("call", _("Call"), lambda a: a.call.title, width=40),
]


# -- the rows ----------------------------------------------------------------------------------------


def officer_export_rows(user, filters: dict) -> QuerySet[GrantApplication]:
    """The files of the user's administrations (never drafts), filtered like the officer list:
    `call` (id), `state`, `administration` (code), `deadline_before` (date)."""
    applications = filter_applications(applications_visible_to(user), filters)
    return applications.select_related("call", "lead_organisation", "administration").order_by(
        "reference", "pk"
    )


def awarded_grants() -> QuerySet[GrantApplication]:
    """Every grant awarded and not lapsed, for anyone to read: organisations and amounts, no people."""
    return (
        GrantApplication.objects.filter(state__in=AWARDED_STATES)
        .select_related("call", "lead_organisation", "administration")
        .order_by("decided_at", "reference")
    )


def values(applications: Iterable[GrantApplication], columns: list[Column]) -> list[list[Any]]:
    return [[column.value(application) for column in columns] for application in applications]


def headers(columns: list[Column]) -> list[str]:
    return [str(column.header) for column in columns]


# -- formats -----------------------------------------------------------------------------------------


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


def _neutralise_formula(text: str) -> str:
    """A cell starting with = + - @ would be run as a formula by spreadsheets (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(columns: list[Column], rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads accents right; comma-separated (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(columns))
    for row in rows:
        writer.writerow(
            [
                _neutralise_formula(_csv_cell(value)) if column.kind == Kind.TEXT else _csv_cell(value)
                for column, value in zip(columns, row, strict=True)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


XLSX_FORMATS = {Kind.AMOUNT: "#,##0.00", Kind.DATE: "yyyy-mm-dd", Kind.DATETIME: "yyyy-mm-dd hh:mm"}


def to_xlsx(columns: list[Column], rows: list[list[Any]], *, sheet_title: str) -> bytes:
    """One sheet, bold frozen header, amounts as numbers and dates as dates."""
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
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if column.kind == Kind.TEXT:
                cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
            else:
                cell.number_format = XLSX_FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_records(columns: list[Column], rows: list[list[Any]]) -> list[dict[str, Any]]:
    """JSON-ready records keyed by the columns' stable names; amounts as JSON numbers.

    An amount has at most 14 significant digits, so its float prints back exactly (e.g. 35000.5)."""
    records = []
    for row in rows:
        record = {}
        for column, value in zip(columns, row, strict=True):
            if value is not None and column.kind == Kind.AMOUNT:
                value = float(value)
            elif isinstance(value, date):
                value = value.isoformat()
            record[column.key] = value
        records.append(record)
    return records
