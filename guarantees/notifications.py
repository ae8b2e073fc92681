"""Whom each guarantee transition hands the ball to, and what they are told (inbox rows in the
transaction, e-mails after commit, through `core.notifications`)."""

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole, User
from core.money import format_money
from core.notifications import members_of, notify, staff_of


class _Lazy:
    def __init__(self, render):
        self.render = render

    def __str__(self) -> str:
        return str(self.render())


def _context(request, entry) -> dict:
    from core.workflow import state_label

    return {
        "reference": request.reference or "",
        "borrower": request.borrower.name,
        "state": state_label(request),
        "comment": (entry.comment if entry else "") or "—",
        "amount": _Lazy(
            lambda: format_money(request.guaranteed_amount) if request.guaranteed_amount else "—"
        ),
        "claim": _Lazy(lambda: format_money(request.claim_amount) if request.claim_amount else "—"),
        "deadline": _Lazy(lambda: formats.date_format(request.deadline) if request.deadline else "—"),
    }


def _send(request, entry, recipients, *, subject, body, extra=None) -> None:
    notify(
        recipients=recipients,
        subject=subject,
        body=body,
        context={**_context(request, entry), **(extra or {})},
        link=request.get_absolute_url(),
    )


def _borrower(request):
    return members_of(request.acting_organisation_ids())


def _lender(request):
    return members_of([request.lender_id] if request.lender_id else [])


def _staff(request, *roles):
    return staff_of(request.administration_id, *roles)


STATE_SUBJECT = _("Guarantee %(reference)s: %(state)s")
STATE_BODY = _(
    "The guarantee request of %(borrower)s (%(reference)s) is now: %(state)s.\n\nComment: %(comment)s\n\n"
    "Open the file to see its history and what you can do next."
)


def to_borrower(request, entry) -> None:
    _send(request, entry, _borrower(request), subject=STATE_SUBJECT, body=STATE_BODY)


def to_lender(request, entry) -> None:
    _send(request, entry, _lender(request), subject=STATE_SUBJECT, body=STATE_BODY)


def to_borrower_and_lender(request, entry) -> None:
    to_borrower(request, entry)
    to_lender(request, entry)


def to_officers(request, entry) -> None:
    _send(
        request,
        entry,
        _staff(request, StaffRole.Role.OFFICER),
        subject=_("Guarantee %(reference)s awaits screening"),
        body=_(
            "The guarantee request of %(borrower)s (%(reference)s) is %(state)s and awaits an officer, by %(deadline)s.\n\nComment: %(comment)s"
        ),
    )


def to_borrower_and_officers(request, entry) -> None:
    to_borrower(request, entry)
    _send(request, entry, _staff(request, StaffRole.Role.OFFICER), subject=STATE_SUBJECT, body=STATE_BODY)


def to_officers_if_submitted(request, entry) -> None:
    if request.reference:
        _send(
            request,
            entry,
            _staff(request, StaffRole.Role.OFFICER),
            subject=_("Guarantee %(reference)s withdrawn"),
            body=_("%(borrower)s withdrew its guarantee request %(reference)s.\n\nComment: %(comment)s"),
        )


def submitted(request, entry) -> None:
    _send(
        request,
        entry,
        _borrower(request),
        subject=_("Guarantee %(reference)s: your request was received"),
        body=_(
            "Your guarantee request was submitted under the reference %(reference)s. The officers now screen it; expected answer by %(deadline)s."
        ),
    )
    to_officers(request, entry)


def under_review(request, entry) -> None:
    to_borrower(request, entry)
    _send(
        request,
        entry,
        _staff(request, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER),
        subject=_("Guarantee %(reference)s awaits its risk review and a decision"),
        body=_(
            "The guarantee request of %(borrower)s (%(reference)s) passed screening: record the risk review, then an approver decides, by %(deadline)s."
        ),
    )


def offered(request, entry) -> None:
    body = _(
        "A guarantee of %(amount)s was offered for the loan of %(borrower)s (%(reference)s), valid until %(deadline)s. "
        "The offer letter (PDF) is on the file's page.\n\nWhat to do now: the lender confirms the loan's disbursement "
        "before that date; after it, the offer lapses."
    )
    subject = _("Guarantee %(reference)s: %(amount)s offered until %(deadline)s")
    _send(request, entry, _borrower(request), subject=subject, body=body)
    _send(request, entry, _lender(request), subject=subject, body=body)


def activated(request, entry) -> None:
    body = _(
        "The guarantee %(reference)s of %(amount)s is active. The certificate and the schedule are on the file's page; declare the outstanding balance each quarter."
    )
    subject = _("Guarantee %(reference)s is active")
    _send(request, entry, _borrower(request), subject=subject, body=body)
    _send(request, entry, _lender(request), subject=subject, body=body)
    _send(request, entry, _staff(request, StaffRole.Role.FINANCE), subject=subject, body=body)


def called(request, entry) -> None:
    _send(
        request,
        entry,
        _staff(request, StaffRole.Role.APPROVER),
        subject=_("Guarantee %(reference)s was called: a claim of %(claim)s awaits a decision"),
        body=_(
            "The lender called the guarantee %(reference)s of %(borrower)s. Check the call and pay or reject the claim of %(claim)s.\n\nComment: %(comment)s"
        ),
    )
    to_borrower(request, entry)


def claim_paid(request, entry) -> None:
    _send(
        request,
        entry,
        _lender(request),
        subject=_("Guarantee %(reference)s: claim of %(claim)s approved"),
        body=_(
            "The claim of %(claim)s on the guarantee %(reference)s was approved and will be paid. Report every amount you recover afterwards: the fund's share is owed back."
        ),
    )
    _send(request, entry, _staff(request, StaffRole.Role.FINANCE), subject=STATE_SUBJECT, body=STATE_BODY)


def capacity_alert(request, used, parameters) -> None:
    """The fund's use crossed the alert threshold: every approver hears it."""
    approvers = User.objects.filter(is_active=True, staff_roles__role=StaffRole.Role.APPROVER).distinct()
    notify(
        recipients=approvers,
        subject=_("Guarantee fund: %(use)s %% of its capacity is used"),
        body=_(
            "The offer of %(reference)s takes the guarantee fund's use to %(use)s %% of its capacity (alert at %(threshold)s %%)."
        ),
        context={
            "use": str(used),
            "threshold": str(parameters.alert_threshold),
            "reference": request.reference or "",
        },
        link="/guarantees/portfolio/",
    )
