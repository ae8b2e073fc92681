"""The grant's documents: the submission receipt and the award decision letter, in the lead
organisation's language, on the shared letterhead (`core.pdf`)."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.money import format_money
from core.pdf import letter_pdf

from .calculations import advance_amount


def _partners(application) -> str:
    return ", ".join(partner.name for partner in application.partners.all()) or "—"


def receipt_pdf(application, language: str | None = None) -> bytes:
    """Acknowledgement of receipt of a submitted application."""
    if not application.reference or not application.submitted_at:
        raise ValueError("Only a submitted application has a receipt.")
    organisation = application.lead_organisation
    language = language or organisation.preferred_language
    with translation.override(language):
        submitted_at = formats.date_format(timezone.localtime(application.submitted_at), "DATETIME_FORMAT")
        values = {
            "administration": application.administration.name,
            "reference": application.reference,
            "title": application.title,
            "organisation": organisation.name,
            "submitted_at": submitted_at,
            "call": application.call.title,
        }
        return letter_pdf(
            administration=application.administration,
            organisation=organisation,
            language=language,
            reference=application.reference,
            title=_("Acknowledgement of receipt – mutualisation grant application"),
            paragraphs=[
                _(
                    "%(administration)s acknowledges receipt of the application %(reference)s “%(title)s”, "
                    "submitted by %(organisation)s on %(submitted_at)s under the call “%(call)s”."
                )
                % values,
                _(
                    "This acknowledgement does not prejudge the decision. You will be informed at each step; "
                    "please quote the reference %(reference)s in all correspondence."
                )
                % values,
            ],
            table=[
                (_("Reference"), application.reference),
                (_("Initiative"), application.title),
                (_("Lead organisation"), organisation.name),
                (_("Partner organisations"), _partners(application)),
                (
                    _("Period"),
                    f"{formats.date_format(application.start_date)} – {formats.date_format(application.end_date)}",
                ),
                (_("Total budget"), application.budget_total),
                (_("Requested amount"), application.requested_amount),
                (_("Submitted on"), application.submitted_at),
            ],
        )


def award_letter_pdf(application, language: str | None = None) -> bytes:
    """The award decision: parties, amounts, payment schedule, conditions and dates."""
    if application.awarded_amount is None:
        raise ValueError("Only an approved application has an award letter.")
    organisation = application.lead_organisation
    language = language or organisation.preferred_language
    with translation.override(language):
        advance = advance_amount(application.awarded_amount, application.call.advance_percentage)
        values = {
            "administration": application.administration.name,
            "organisation": organisation.name,
            "title": application.title,
            "reference": application.reference,
            "amount": format_money(application.awarded_amount, language),
            "advance": format_money(advance, language),
            "percentage": formats.number_format(application.call.advance_percentage, 0),
            "deadline": formats.date_format(application.acceptance_deadline)
            if application.acceptance_deadline
            else "—",
            "end": formats.date_format(application.end_date) if application.end_date else "—",
        }
        return letter_pdf(
            administration=application.administration,
            organisation=organisation,
            language=language,
            reference=application.reference,
            title=_("Decision to award a mutualisation grant"),
            paragraphs=[
                _(
                    "%(administration)s awards %(organisation)s a mutualisation grant of %(amount)s for the "
                    "initiative “%(title)s” (%(reference)s)."
                )
                % values,
                _(
                    "Conditions: the grant is accepted online before %(deadline)s, failing which the award lapses. "
                    "An advance of %(percentage)s %% (%(advance)s) is paid after acceptance. The balance is paid "
                    "after the final report, on the expenses accepted, up to the award; sums paid beyond the "
                    "accepted expenses are recovered."
                )
                % values,
                _(
                    "The final report, with the expenses justified per budget line, is due at the end of the "
                    "initiative (%(end)s). Coordination hours are eligible expenses."
                )
                % values,
            ],
            table=[
                (_("Reference"), application.reference),
                (_("Lead organisation"), organisation.name),
                (_("Partner organisations"), _partners(application)),
                (_("Requested amount"), application.requested_amount),
                (_("Awarded amount"), application.awarded_amount),
                (_("Advance paid on acceptance"), advance),
                (_("Decision date"), application.decided_at),
                (_("Accept before"), application.acceptance_deadline),
            ],
        )
