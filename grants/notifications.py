"""Whom each grant transition hands the ball to, and what they are told: what happened, what to do
next, with the amount and the deadline where there is one and a direct link to the action.

Called by the transition service inside its transaction (the inbox rows commit with the decision);
the e-mails leave after commit (`core.notifications`)."""

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from core.money import format_money
from core.notifications import members_of, notify, staff_of


class _Lazy:
    """A value rendered when the message is written in the recipient's language."""

    def __init__(self, render):
        self.render = render

    def __str__(self) -> str:
        return str(self.render())


def _context(application, entry) -> dict:
    from core.workflow import state_label

    return {
        "reference": application.reference or "",
        "title": application.title,
        "state": state_label(application),
        "comment": entry.comment or "—",
        "administration": _Lazy(
            lambda: application.administration.name if application.administration else "—"
        ),
        "amount": _Lazy(
            lambda: format_money(application.awarded_amount) if application.awarded_amount else "—"
        ),
        "deadline": _Lazy(lambda: formats.date_format(application.deadline) if application.deadline else "—"),
    }


def _to_applicants(application, entry, *, subject, body) -> None:
    notify(
        recipients=members_of(application.acting_organisation_ids()),
        subject=subject,
        body=body,
        context=_context(application, entry),
        link=application.get_absolute_url(),
    )


def _to_staff(application, entry, *roles, subject, body) -> None:
    notify(
        recipients=staff_of(application.administration_id, *roles),
        subject=subject,
        body=body,
        context=_context(application, entry),
        link=application.get_absolute_url(),
    )


def to_applicants(application, entry) -> None:
    _to_applicants(
        application,
        entry,
        subject=_("Grant %(reference)s: %(state)s"),
        body=_(
            "Your application “%(title)s” (%(reference)s) is now: %(state)s.\n\n"
            "Comment: %(comment)s\n\n"
            "Open the file to see its history and what you can do next."
        ),
    )


def submitted(application, entry) -> None:
    """The applicant's receipt, and the officers who will screen the file."""
    _to_applicants(
        application,
        entry,
        subject=_("Grant %(reference)s: your application was received"),
        body=_(
            "Your application “%(title)s” was submitted under the reference %(reference)s and will be "
            "handled by %(administration)s. The acknowledgement of receipt (PDF) is on the file's page.\n\n"
            "The officers now screen the file; you will be told of each step, and asked if information "
            "is missing. Expected answer by %(deadline)s."
        ),
    )
    to_officers(application, entry)


def to_officers(application, entry) -> None:
    _to_staff(
        application,
        entry,
        StaffRole.Role.OFFICER,
        subject=_("Grant %(reference)s awaits screening"),
        body=_(
            "The application “%(title)s” (%(reference)s) is %(state)s and awaits an officer, "
            "by %(deadline)s.\n\nComment: %(comment)s"
        ),
    )


def to_officers_if_submitted(application, entry) -> None:
    if application.reference:
        _to_staff(
            application,
            entry,
            StaffRole.Role.OFFICER,
            subject=_("Grant %(reference)s withdrawn"),
            body=_("The applicant withdrew “%(title)s” (%(reference)s).\n\nComment: %(comment)s"),
        )


def admitted(application, entry) -> None:
    """The applicant hears the file goes to review; the officers and approvers are asked to review."""
    _to_applicants(
        application,
        entry,
        subject=_("Grant %(reference)s: admitted for review"),
        body=_(
            "Your application “%(title)s” (%(reference)s) passed screening and is now under review. "
            "A decision is expected by %(deadline)s; you will be told as soon as it is taken."
        ),
    )
    _to_staff(
        application,
        entry,
        StaffRole.Role.OFFICER,
        StaffRole.Role.APPROVER,
        subject=_("Grant %(reference)s is ready for review"),
        body=_(
            "The application “%(title)s” (%(reference)s) was admitted: it awaits reviews and a decision, "
            "by %(deadline)s."
        ),
    )


def awarded(application, entry) -> None:
    _to_applicants(
        application,
        entry,
        subject=_("Grant %(reference)s: %(amount)s awarded — accept it by %(deadline)s"),
        body=_(
            "A grant of %(amount)s was awarded to “%(title)s” (%(reference)s). The decision letter (PDF) "
            "is on the file's page.\n\n"
            "What to do now: open the file and accept the grant by %(deadline)s; after that date the "
            "award lapses. Accepting triggers the payment of the advance.\n\nComment: %(comment)s"
        ),
    )


def settled(application, entry) -> None:
    _to_applicants(
        application,
        entry,
        subject=_("Grant %(reference)s: %(state)s"),
        body=_(
            "The grant “%(title)s” (%(reference)s) is now: %(state)s. The accepted expenses were settled "
            "against what was already paid; the file's page shows the resulting balance or recovery "
            "payment order.\n\nComment: %(comment)s"
        ),
    )


def to_finance(application, entry) -> None:
    if not application.call.advance_percentage:
        return  # no advance, no payment order to approve
    _to_staff(
        application,
        entry,
        StaffRole.Role.FINANCE,
        subject=_("Grant %(reference)s: a payment order awaits approval"),
        body=_(
            "The grant “%(title)s” (%(reference)s) was accepted; its advance payment order awaits approval."
        ),
    )
