"""Whom each grant transition hands the ball to (called after the transaction commits)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from core.notifications import members_of, notify, staff_of


def _context(application, entry) -> dict:
    from core.workflow import state_label

    return {
        "reference": application.reference or "",
        "title": application.title,
        "state": state_label(application),
        "comment": entry.comment or "—",
    }


def to_applicants(application, entry) -> None:
    notify(
        recipients=members_of(application.acting_organisation_ids()),
        subject=_("Grant %(reference)s: %(state)s"),
        body=_("Your application “%(title)s” (%(reference)s) is now: %(state)s.\n\nComment: %(comment)s"),
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


def to_officers(application, entry) -> None:
    _to_staff(
        application,
        entry,
        StaffRole.Role.OFFICER,
        subject=_("Grant %(reference)s awaits screening"),
        body=_(
            "The application “%(title)s” (%(reference)s) is %(state)s and awaits an officer.\n\nComment: %(comment)s"
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


def to_reviewers(application, entry) -> None:
    _to_staff(
        application,
        entry,
        StaffRole.Role.OFFICER,
        StaffRole.Role.APPROVER,
        subject=_("Grant %(reference)s is ready for review"),
        body=_("The application “%(title)s” (%(reference)s) was admitted: it awaits reviews and a decision."),
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
