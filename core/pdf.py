"""PDF letters in the administration's letterhead (reportlab), in the recipient's language.

Every scheme builds its documents (submission receipt, award decision, guarantee offer and
certificate, compensation statement) with `letter_pdf`: a page header with the administration's
name, the recipient's address block, place and date, reference, title, paragraphs, an optional
table of labels and values, an optional signature and a "page X of Y" footer.

Text is set in Bitstream Vera, which reportlab ships and which covers French and Dutch and `€`; it
is embedded (as a subset) in every PDF, so nothing depends on the reader's fonts. The few characters
Vera lacks are replaced by their nearest equivalent (babel's narrow no-break space in French amounts
becomes a no-break space, `ĳ` becomes `ij`).

Render PDFs that are sent by e-mail from `transaction.on_commit` (see STYLE.md).
"""

import datetime as dt
import functools
import hashlib
import io
import logging
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .money import format_money

logger = logging.getLogger(__name__)

FONT = "Vera"
FONT_BOLD = "Vera-Bold"
FONT_ITALIC = "Vera-Italic"
FONT_BOLD_ITALIC = "Vera-BoldItalic"
_FONT_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
    FONT_BOLD_ITALIC: "VeraBI.ttf",
}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TOP_MARGIN = MARGIN + 16 * mm  # below the letterhead
BOTTOM_MARGIN = MARGIN + 4 * mm  # above the footer
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
SHADE = colors.HexColor("#F0F0F0")

# Characters Vera does not have, and what to print instead.
_FALLBACKS = {
    "\u202f": "\u00a0",  # narrow no-break space (babel's French thousands separator)
    "\u2007": "\u00a0",  # figure space
    "\u2009": " ",  # thin space
    "\u200b": "",  # zero-width space
    "\u2011": "-",  # non-breaking hyphen
    "\u0133": "ij",  # Dutch ĳ ligature
    "\u0132": "IJ",
}


@dataclass(frozen=True)
class Signature:
    """Who signs a letter for the administration: a name and, optionally, a function."""

    name: str
    function: str = ""


def _font_path(filename: str) -> str:
    """reportlab's own copy of the font first, then its TrueType search path."""
    candidates = [Path(reportlab.__file__).resolve().parent / "fonts"]
    candidates += [Path(folder) for folder in rl_config.TTFSearchPath]
    for folder in candidates:
        if (folder / filename).is_file():
            return str(folder / filename)
    raise FileNotFoundError(f"{filename} is not in reportlab's fonts nor in rl_config.TTFSearchPath.")


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register the Vera family once per process; answer the code points every weight can print."""
    covered = None
    for name, filename in _FONT_FILES.items():
        font = TTFont(name, _font_path(filename))
        pdfmetrics.registerFont(font)
        characters = set(font.face.charToGlyph)
        covered = characters if covered is None else covered & characters
    registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    return frozenset(covered)


def printable(text: object) -> str:
    """The text with every character the font lacks replaced by its nearest printable equivalent."""
    covered = register_fonts()
    result = []
    for character in str(text):
        if ord(character) in covered or character == "\n":
            result.append(character)
        elif character in _FALLBACKS:
            result.append(_FALLBACKS[character])
        else:
            decomposed = unicodedata.normalize("NFKD", character)
            kept = "".join(part for part in decomposed if ord(part) in covered)
            result.append(kept or "?")
    return "".join(result)


def _markup(text: object) -> str:
    """Plain text as reportlab paragraph markup: escaped, line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=6)
    return {
        "body": body,
        "address": ParagraphStyle("address", parent=body, spaceAfter=0),
        "meta": ParagraphStyle("meta", parent=body, fontSize=9, leading=12, textColor=GREY, spaceAfter=0),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=6, spaceAfter=10
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "value": ParagraphStyle(
            "value", parent=body, fontSize=9.5, leading=12, spaceAfter=0, alignment=TA_RIGHT
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=GREY),
    }


def format_enterprise_number(number: str) -> str:
    """'0403170701' -> '0403.170.701', the way the BCE/KBO writes it."""
    digits = "".join(character for character in number or "" if character.isdigit())
    if len(digits) != 10:
        return number or ""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def format_value(value: object, language: str | None = None) -> str:
    """A table value for the page: a `Decimal` is an amount in EUR, dates follow the locale."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format_money(value, language)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _page_decorations(administration_name: str, administration_email: str):
    """A canvas class that draws the letterhead and "page X of Y" once the page count is known."""

    class LetterCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_header()
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_header(self):
            top = PAGE_HEIGHT - MARGIN
            self.setFillColor(colors.black)
            self.setFont(FONT_BOLD, 11)
            self.drawString(MARGIN, top, printable(administration_name))
            if administration_email:
                self.setFont(FONT, 8.5)
                self.setFillColor(GREY)
                self.drawRightString(PAGE_WIDTH - MARGIN, top, printable(administration_email))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(MARGIN, top - 4 * mm, PAGE_WIDTH - MARGIN, top - 4 * mm)

        def _draw_footer(self, number: int, total: int):
            bottom = MARGIN - 8 * mm
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(MARGIN, bottom + 4 * mm, PAGE_WIDTH - MARGIN, bottom + 4 * mm)
            self.setFont(FONT, 8)
            self.setFillColor(GREY)
            self.drawString(MARGIN, bottom, printable(administration_name))
            label = _("Page %(page)s of %(pages)s") % {"page": number, "pages": total}
            self.drawRightString(PAGE_WIDTH - MARGIN, bottom, printable(label))

    return LetterCanvas


def _recipient_block(organisation) -> list:
    styles = _styles()
    lines = [
        f"<b>{_markup(organisation.name)}</b>",
        _markup(organisation.street),
        _markup(f"{organisation.postal_code} {organisation.city}".strip()),
    ]
    if organisation.enterprise_number:
        number = format_enterprise_number(organisation.enterprise_number)
        lines.append(_markup(_("Enterprise number: %(number)s") % {"number": number}))
    address = Paragraph("<br/>".join(line for line in lines if line), styles["address"])
    # The address sits in the right half of the page, where window envelopes show it.
    block = Table([["", address]], colWidths=[CONTENT_WIDTH * 0.5, CONTENT_WIDTH * 0.5])
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [block, Spacer(1, 12 * mm)]


def _key_value_table(rows: Iterable[tuple[object, object]], language: str) -> Table:
    styles = _styles()
    data = [
        [
            Paragraph(_markup(label), styles["cell"]),
            Paragraph(_markup(format_value(value, language)), styles["value"]),
        ]
        for label, value in rows
    ]
    table = Table(data, colWidths=[CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


@dataclass(frozen=True)
class Annex:
    """A table on pages of its own after the letter (a repayment schedule): a title, the column
    headings and the rows; a `Decimal` cell is an amount, a date follows the locale. The heading row
    repeats on every page."""

    title: object
    headings: Sequence[object]
    rows: Sequence[Sequence[object]]


def _annex_story(annex: Annex, language: str) -> list:
    styles = _styles()
    heading = [Paragraph(f"<b>{_markup(text)}</b>", styles["cell"]) for text in annex.headings]
    # Body cells are plain strings, not paragraphs: a schedule has hundreds of short cells that never
    # wrap, and parsing each as markup was most of a certificate's time (65 ms → see PERFORMANCE.md).
    body = [[printable(format_value(value, language)) for value in row] for row in annex.rows]
    numeric = [
        column
        for column in range(len(annex.headings))
        if annex.rows and isinstance(annex.rows[0][column], Decimal | int)
    ]
    table = Table(
        [heading, *body],
        colWidths=[CONTENT_WIDTH / len(annex.headings)] * len(annex.headings),
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 1), (-1, -1), 9.5),
                ("LEADING", (0, 1), (-1, -1), 12),
                *[("ALIGN", (column, 1), (column, -1), "RIGHT") for column in numeric],
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [PageBreak(), Paragraph(_markup(str(annex.title)), styles["title"]), table]


def _signature_block(signature: Signature, administration_name: str) -> KeepTogether:
    styles = _styles()
    parts = [
        Paragraph(
            _markup(_("For %(administration)s,") % {"administration": administration_name}), styles["body"]
        ),
        Spacer(1, 14 * mm),
        Paragraph(f"<b>{_markup(signature.name)}</b>", styles["address"]),
    ]
    if signature.function:
        parts.append(Paragraph(_markup(signature.function), styles["address"]))
    return KeepTogether([Spacer(1, 8 * mm), *parts])


def letter_pdf(
    *,
    administration,
    organisation,
    title: str,
    reference: str,
    paragraphs: Sequence[str] = (),
    language: str | None = None,
    date: dt.date | None = None,
    table: Sequence[tuple[str, object]] | None = None,
    signature: Signature | None = None,
    annexes: Sequence[Annex] = (),
) -> bytes:
    """A letter from `administration` to `organisation`, as PDF bytes, entirely in `language`.

    `language` defaults to the organisation's preferred language; `date` to today. `title`,
    `paragraphs` and the table's labels may be lazy translations: they are rendered in `language`.
    In `table` (label, value) rows, a `Decimal` value is an amount in EUR formatted for the locale
    (`12 500,00 €`), a date or datetime is formatted for the locale, `None` prints as a dash.
    """
    language = language or organisation.preferred_language or "fr"
    with translation.override(language):
        styles = _styles()
        administration_name = str(administration.name)
        day = date or timezone.localdate()
        title = str(title)

        story = _recipient_block(organisation)
        story.append(
            Paragraph(
                _markup(_("Brussels, %(date)s") % {"date": formats.date_format(day, "DATE_FORMAT")}),
                styles["meta"],
            )
        )
        if reference:
            story.append(
                Paragraph(
                    _markup(_("Our reference: %(reference)s") % {"reference": reference}), styles["meta"]
                )
            )
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(_markup(title), styles["title"]))
        story.extend(Paragraph(_markup(paragraph), styles["body"]) for paragraph in paragraphs)
        if table:
            story.extend([Spacer(1, 3 * mm), _key_value_table(table, language), Spacer(1, 5 * mm)])
        if signature:
            story.append(_signature_block(signature, administration_name))
        for annex in annexes:
            story.extend(_annex_story(annex, language))

        buffer = io.BytesIO()
        body = Frame(
            MARGIN,
            BOTTOM_MARGIN,
            CONTENT_WIDTH,
            PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        document = BaseDocTemplate(
            buffer,
            pagesize=A4,
            pageTemplates=[PageTemplate(id="letter", frames=[body])],
            title=printable(title),
            author=printable(administration_name),
            subject=printable(reference or title),
            creator=printable(administration_name),
            lang=language,
            # The canvas's default font would otherwise add an unembedded Helvetica to every page.
            initialFontName=FONT,
        )
        document.build(story, canvasmaker=_page_decorations(administration_name, administration.email or ""))
        return buffer.getvalue()


def submission_receipt_pdf(*, file, organisation, scheme_label, language: str | None = None) -> bytes:
    """The acknowledgement of receipt of a submitted file (any scheme), in the organisation's language.

    `file` needs `reference`, `submitted_at` and `administration` (see `core.models.WorkflowFile`);
    `scheme_label` names the scheme (a lazy translation is rendered in the receipt's language).
    """
    if not file.reference or not file.submitted_at:
        raise ValueError("A submission receipt needs a submitted file with a reference.")
    language = language or organisation.preferred_language or "fr"
    with translation.override(language):
        administration = file.administration
        submitted_at = formats.date_format(timezone.localtime(file.submitted_at), "DATETIME_FORMAT")
        values = {
            "administration": administration.name,
            "reference": file.reference,
            "scheme": str(scheme_label),
            "organisation": organisation.name,
            "submitted_at": submitted_at,
        }
        paragraphs = [
            _(
                "%(administration)s acknowledges receipt of the application %(reference)s for "
                "%(scheme)s, submitted by %(organisation)s on %(submitted_at)s."
            )
            % values,
            _(
                "This acknowledgement does not prejudge the decision on the application. Please quote "
                "the reference %(reference)s in all correspondence."
            )
            % values,
            _("This document was produced automatically and needs no signature."),
        ]
        table = [
            (_("Reference"), file.reference),
            (_("Scheme"), str(scheme_label)),
            (_("Organisation"), organisation.name),
            (_("Enterprise number"), format_enterprise_number(organisation.enterprise_number)),
            (_("Administration"), administration.name),
            (_("Submitted on"), submitted_at),
        ]
        return letter_pdf(
            administration=administration,
            organisation=organisation,
            language=language,
            title=_("Acknowledgement of receipt"),
            reference=file.reference,
            date=timezone.localdate(file.submitted_at),
            paragraphs=paragraphs,
            table=table,
        )


LETTER_CACHE_SECONDS = 24 * 3600


def cached_letter(render: Callable[[], bytes], *inputs) -> bytes:
    """A letter rendered once for the same inputs, then served from the cache.

    `inputs` name everything the letter shows that can change: the file (its pk and `updated_at`,
    which every save moves), the organisations' and administration's names, the language, and the
    day (a letter is dated). A file's schedule or terms never change without saving the file, so a
    cached letter is the letter that would be rendered again, byte for byte but for the PDF's own
    creation stamp."""
    from django.core.cache import cache

    key = "letter:" + hashlib.sha256(repr((*inputs, timezone.localdate())).encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, LETTER_CACHE_SECONDS)
    return content


def pdf_response(render: Callable[[], bytes], filename: str):
    """An HTTP response that downloads the letter `render()` produces as `filename` (web and API alike).

    A letter is rendered from a file whose decision is already committed, outside any transaction of
    that decision: a rendering fault never undoes the decision. It is logged and refused with 503 and a
    message in the person's language (the site's 503 page, or the API's error body); the next download
    renders again. A database that does not answer keeps its own 503 (`config.error_views`)."""
    from django import db
    from django.http import HttpResponse

    from .exceptions import Unavailable

    try:
        content = render()
    except (db.OperationalError, db.InterfaceError):
        raise
    except Exception:
        logger.exception("The letter %s could not be rendered", filename)
        raise Unavailable(
            _(
                "The letter could not be produced just now. The decision itself is recorded and nothing "
                "was lost; please try again in a few minutes."
            )
        ) from None
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
