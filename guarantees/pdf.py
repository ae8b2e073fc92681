"""The guarantee's documents: the offer letter and the guarantee certificate, in the borrower's
language, on the shared letterhead (`core.pdf`), with the repayment schedule as an annex."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.money import format_money
from core.pdf import Annex, cached_letter, letter_pdf

from . import calculations


def _schedule_annex(lines, title) -> Annex:
    return Annex(
        title=title,
        headings=[_("No."), _("Due on"), _("Principal"), _("Interest"), _("Outstanding after")],
        rows=[
            [line.number, line.due_date, line.principal, line.interest, line.outstanding_after]
            for line in lines
        ],
    )


def _percent(value) -> str:
    return f"{formats.number_format(value, 2)} %"


def _render_offer_letter_pdf(request, language: str | None = None) -> bytes:
    """The guarantee offer: the terms, the fee, the validity, and an indicative schedule."""
    if request.offered_at is None:
        raise ValueError("Only an offered guarantee has an offer letter.")
    borrower = request.borrower
    language = language or borrower.preferred_language
    with translation.override(language):
        values = {
            "administration": request.administration.name,
            "borrower": borrower.name,
            "lender": request.lender.name,
            "reference": request.reference,
            "amount": format_money(request.guaranteed_amount, language),
            "loan": format_money(request.loan_amount, language),
            "coverage": _percent(request.coverage),
            "fee": _percent(request.fee_rate),
            "frequency": request.get_fee_frequency_display(),
            "expires": formats.date_format(request.offer_expires_on),
        }
        start = timezone.localdate(request.offered_at)
        lines = calculations.schedule(
            request.repayment_profile,
            request.loan_amount,
            request.interest_rate,
            request.duration_months,
            start,
        )
        return letter_pdf(
            administration=request.administration,
            organisation=borrower,
            language=language,
            reference=request.reference,
            title=_("Offer of a public credit guarantee"),
            paragraphs=[
                _(
                    "%(administration)s offers %(borrower)s a guarantee of %(amount)s, that is %(coverage)s of the "
                    "loan of %(loan)s granted by %(lender)s (%(reference)s)."
                )
                % values,
                _(
                    "The guarantee covers principal only and shrinks in proportion to each repayment; the lender "
                    "keeps the rest of the risk. A fee of %(fee)s a year on the outstanding guaranteed amount is "
                    "owed by the borrower (billing: %(frequency)s)."
                )
                % values,
                _(
                    "This offer is valid until %(expires)s: the lender confirms the loan's disbursement before that "
                    "date, failing which the offer lapses. The schedule in the annex is indicative; the final one "
                    "follows the disbursement."
                )
                % values,
            ],
            table=[
                (_("Reference"), request.reference),
                (_("Borrower"), borrower.name),
                (_("Lender"), f"{request.lender.name} ({request.lender.bic})"),
                (_("Loan amount"), request.loan_amount),
                (_("Duration"), _("%(months)s months") % {"months": request.duration_months}),
                (_("Repayment profile"), request.get_repayment_profile_display()),
                (_("Coverage"), _percent(request.coverage)),
                (_("Guaranteed amount"), request.guaranteed_amount),
                (_("Aid equivalent (de minimis)"), request.aid_equivalent),
                (_("Offer valid until"), request.offer_expires_on),
            ],
            annexes=[_schedule_annex(lines, _("Annex: indicative repayment schedule"))],
        )


def _render_certificate_pdf(request, language: str | None = None) -> bytes:
    """The guarantee certificate, once the loan is disbursed, with the loan's schedule."""
    if request.disbursed_on is None:
        raise ValueError("Only an active guarantee has a certificate.")
    borrower = request.borrower
    language = language or borrower.preferred_language
    with translation.override(language):
        values = {
            "administration": request.administration.name,
            "borrower": borrower.name,
            "lender": request.lender.name,
            "reference": request.reference,
            "amount": format_money(request.guaranteed_amount, language),
            "coverage": _percent(request.coverage),
            "disbursed": formats.date_format(request.disbursed_on),
            "maturity": formats.date_format(request.maturity_date),
        }
        return letter_pdf(
            administration=request.administration,
            organisation=borrower,
            language=language,
            reference=request.reference,
            title=_("Public credit guarantee certificate"),
            paragraphs=[
                _(
                    "%(administration)s certifies that the loan granted by %(lender)s to %(borrower)s, disbursed on "
                    "%(disbursed)s, is guaranteed for %(coverage)s of its outstanding principal, at most %(amount)s, "
                    "until its maturity on %(maturity)s (%(reference)s)."
                )
                % values,
                _(
                    "The lender declares the outstanding balance and any arrears every quarter. The guarantee may be "
                    "called under the scheme's claim rules in force when it was offered."
                )
                % values,
            ],
            table=[
                (_("Reference"), request.reference),
                (_("Borrower"), borrower.name),
                (_("Lender"), f"{request.lender.name} ({request.lender.bic})"),
                (_("Disbursed amount"), request.disbursed_amount),
                (_("Disbursed on"), request.disbursed_on),
                (_("Coverage"), _percent(request.coverage)),
                (_("Guaranteed amount"), request.guaranteed_amount),
                (_("Maturity"), request.maturity_date),
            ],
            annexes=[_schedule_annex(request.schedule_lines.all(), _("Annex: repayment schedule"))],
        )


def _letter_inputs(request, kind: str, language: str) -> tuple:
    """What the letter shows besides the file: every column of the borrower (the addressee), the
    lender and the administration (the letterhead)."""
    parties = (request.borrower, request.lender, request.administration)
    return (
        kind,
        request.pk,
        request.updated_at,
        language,
        *(tuple(getattr(party, field.attname) for field in party._meta.concrete_fields) for party in parties),
    )


def offer_letter_pdf(request, language: str | None = None) -> bytes:
    """The guarantee offer: the terms, the fee, the validity, and an indicative schedule (rendered
    once a day per language while the file is unchanged: core.pdf.cached_letter)."""
    if request.offered_at is None:
        raise ValueError("Only an offered guarantee has an offer letter.")
    language = language or request.borrower.preferred_language
    return cached_letter(
        lambda: _render_offer_letter_pdf(request, language), *_letter_inputs(request, "offer", language)
    )


def certificate_pdf(request, language: str | None = None) -> bytes:
    """The guarantee certificate, once the loan is disbursed, with the loan's schedule (rendered
    once a day per language while the file is unchanged: core.pdf.cached_letter)."""
    if request.disbursed_on is None:
        raise ValueError("Only an active guarantee has a certificate.")
    language = language or request.borrower.preferred_language
    return cached_letter(
        lambda: _render_certificate_pdf(request, language), *_letter_inputs(request, "certificate", language)
    )
