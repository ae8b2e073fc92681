"""Whom each mentoring transition hands the ball to, and what they are told (in their language):
what happened, what to do next, with a direct link. Inbox rows in the transaction, e-mails after
commit (`core.notifications`)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from core.notifications import members_of, notify, staff_of
from core.scope import party_organisation_ids


def _context(file, entry=None) -> dict:
    from core.workflow import state_label

    agreement = getattr(file, "agreement", file)
    return {
        "reference": file.reference or "",
        "project": agreement.project,
        "mentor": agreement.mentor,
        "mentee": agreement.mentee,
        "state": state_label(file),
        "comment": (entry.comment if entry is not None else "") or "—",
        "month": file.month.strftime("%m/%Y") if hasattr(file, "month") else "",
    }


def _to_side(file, entry, role: str, *, subject, body) -> None:
    notify(
        recipients=members_of(party_organisation_ids(file, role)),
        subject=subject,
        body=body,
        context=_context(file, entry),
        link=file.get_absolute_url(),
    )


def _to_staff(file, entry, *roles, subject, body) -> None:
    notify(
        recipients=staff_of(file.administration_id, *roles),
        subject=subject,
        body=body,
        context=_context(file, entry),
        link=file.get_absolute_url(),
    )


AGREEMENT_SUBJECT = _("Mentoring agreement %(reference)s: %(state)s")


def agreement_proposed(agreement, entry) -> None:
    """The other organisation confirms the proposal."""
    _to_side(
        agreement,
        entry,
        agreement.other_side,
        subject=_("Mentoring agreement %(reference)s to confirm"),
        body=_(
            "A mentoring agreement between %(mentor)s (mentor) and %(mentee)s (mentee) for “%(project)s” "
            "has been proposed to you. Open it to confirm it or withdraw it.\n\nComment: %(comment)s"
        ),
    )


def agreement_to_approvers(agreement, entry) -> None:
    _to_staff(
        agreement,
        entry,
        StaffRole.Role.APPROVER,
        subject=_("Mentoring agreement %(reference)s to approve"),
        body=_(
            "%(mentor)s and %(mentee)s agreed on mentoring for “%(project)s”. Approve it (hourly rate and "
            "hours cap) or reject it."
        ),
    )


def agreement_to_parties(agreement, entry) -> None:
    for role in ("mentor", "mentee"):
        _to_side(
            agreement,
            entry,
            role,
            subject=AGREEMENT_SUBJECT,
            body=_(
                "The mentoring agreement “%(project)s” (%(reference)s) between %(mentor)s and %(mentee)s is "
                "now: %(state)s.\n\nComment: %(comment)s"
            ),
        )


DECLARATION_SUBJECT = _("Hours declaration %(reference)s: %(state)s")


def declaration_to_mentee(declaration, entry) -> None:
    _to_side(
        declaration,
        entry,
        "mentee",
        subject=_("Mentoring hours of %(month)s to confirm"),
        body=_(
            "%(mentor)s declared its mentoring hours of %(month)s for “%(project)s” (%(reference)s). "
            "Confirm them, or contest them with a reason."
        ),
    )


def declaration_to_mentor(declaration, entry) -> None:
    _to_side(
        declaration,
        entry,
        "mentor",
        subject=DECLARATION_SUBJECT,
        body=_(
            "Your hours declaration of %(month)s for “%(project)s” (%(reference)s) is now: %(state)s.\n\n"
            "Comment: %(comment)s"
        ),
    )


def declaration_to_approvers(declaration, entry) -> None:
    _to_staff(
        declaration,
        entry,
        StaffRole.Role.APPROVER,
        subject=_("Mentoring hours %(reference)s to validate"),
        body=_(
            "%(mentee)s confirmed the mentoring hours of %(month)s declared by %(mentor)s (%(reference)s). "
            "Validate them (the compensation is then ordered) or reject them."
        ),
    )


def mentor_application_submitted(application) -> None:
    notify(
        recipients=staff_of(application.administration_id, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER),
        subject=_("Application for mentor status: %(organisation)s"),
        body=_("%(organisation)s applies for mentor status. Read its evidence and approve or refuse it."),
        context={"organisation": application.organisation},
        link="/mentoring/applications/",
    )


def mentor_application_decided(application) -> None:
    notify(
        recipients=members_of([application.organisation_id]),
        subject=_("Your application for mentor status: %(state)s"),
        body=_("The application of %(organisation)s for mentor status is now: %(state)s.\n\n%(reason)s"),
        context={
            "organisation": application.organisation,
            "state": application.get_state_display(),
            "reason": application.reason or "",
        },
        link="/mentoring/",
    )
