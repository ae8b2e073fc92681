"""The compensation statement of a validated hours declaration, in the mentor organisation's
language, on the shared letterhead (`core.pdf`, embedded TTF fonts)."""

from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.money import format_money
from core.pdf import letter_pdf

from .calculations import hours_text


def compensation_statement_pdf(declaration, language: str | None = None) -> bytes:
    if declaration.amount is None:
        raise ValueError("Only a validated declaration has a compensation statement.")
    agreement = declaration.agreement
    mentor = agreement.mentor
    language = language or mentor.preferred_language
    with translation.override(language):
        month = formats.date_format(declaration.month, "F Y")
        values = {
            "administration": declaration.administration.name,
            "mentor": mentor.name,
            "mentee": agreement.mentee.name,
            "project": agreement.project,
            "month": month,
            "hours": hours_text(declaration.total_hours),
            "rate": format_money(agreement.hourly_rate, language),
            "amount": format_money(declaration.amount, language),
            "iban": mentor.iban,
            "reference": declaration.reference,
        }
        lines = [
            (
                formats.date_format(line.date, "SHORT_DATE_FORMAT"),
                f"{line.get_activity_display()} – {hours_text(line.hours)} h",
            )
            for line in declaration.lines.order_by("date", "pk")
        ]
        return letter_pdf(
            administration=declaration.administration,
            organisation=mentor,
            language=language,
            reference=declaration.reference or agreement.reference,
            title=_("Mentoring compensation statement – %(month)s") % values,
            paragraphs=[
                _(
                    "%(administration)s validated the %(hours)s hours of peer mentoring that %(mentor)s "
                    "declared for %(month)s under the agreement with %(mentee)s (“%(project)s”)."
                )
                % values,
                _(
                    "The compensation of %(amount)s (%(hours)s hours at %(rate)s per hour) is ordered to your "
                    "account %(iban)s; please quote the reference %(reference)s in all correspondence."
                )
                % values,
            ],
            table=[
                (_("Reference"), declaration.reference),
                (_("Agreement"), agreement.reference),
                (_("Mentee"), agreement.mentee.name),
                (_("Month"), month),
                (_("Hours validated"), hours_text(declaration.total_hours)),
                (_("Hourly rate"), agreement.hourly_rate),
                (_("Compensation"), declaration.amount),
                (_("Validated on"), declaration.validated_at),
                *lines,
            ],
        )
