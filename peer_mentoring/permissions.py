"""Who may do what in mentoring, and why not: one decision function per action (SPEC §1, §6).

Transitions name theirs in `workflow.py`; the other actions (edit a draft agreement or the lines of
a declaration, edit a mentor profile, decide on a mentor application, get the compensation
statement) are asked by services, web views and the API alike. Each returns a
`core.permissions.Decision` with a `MentoringErrorCode`.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where, has_staff_role, membership_roles_by_organisation
from core.instruction import free_of_conflict
from core.permissions import ALLOW, Decision, all_of, any_of, deny, is_approver, is_party, not_now

from .choices import Side
from .error_codes import MentoringErrorCode
from .states import DECLARATION_EDITABLE, AgreementState, DeclarationState, MentorApplicationState

is_mentor_side = is_party("mentor", reason=_("Only members of the mentor organisation may do this."))
is_mentee_side = is_party("mentee", reason=_("Only members of the mentee organisation may do this."))
is_either_side = any_of(is_mentor_side, is_mentee_side)
# Approving an agreement or validating hours: an approver, unless they declared a conflict of
# interest with the mentor or the mentee (core.instruction).
may_decide = all_of(is_approver, free_of_conflict)


def is_the_other_side(agreement, user) -> Decision:
    """The party that did not propose the agreement confirms it."""
    other = is_mentee_side if agreement.initiated_by == Side.MENTOR else is_mentor_side
    decision = other(agreement, user)
    if decision:
        return decision
    if is_either_side(agreement, user):
        return deny(
            _("The agreement is confirmed by the other organisation, not by the one that proposed it."),
            MentoringErrorCode.PROPOSER_CONFIRMS,
        )
    return decision


def approver_or_either_side(agreement, user) -> Decision:
    return any_of(is_approver, is_either_side)(agreement, user)


def may_edit_agreement(agreement, user) -> Decision:
    decision = is_either_side(agreement, user)
    if not decision:
        return decision
    if agreement.state != AgreementState.DRAFT:
        return not_now(
            _("The agreement can no longer be changed once it has been proposed."),
            MentoringErrorCode.AGREEMENT_NOT_EDITABLE,
        )
    return ALLOW


def may_declare(agreement, user) -> Decision:
    """Start a declaration: the mentor's members, on an active agreement."""
    decision = is_mentor_side(agreement, user)
    if not decision:
        return decision
    if agreement.state != AgreementState.ACTIVE:
        return not_now(
            _("Hours are declared on an active agreement only."), MentoringErrorCode.AGREEMENT_NOT_ACTIVE
        )
    return ALLOW


def may_edit_declaration(declaration, user) -> Decision:
    decision = is_mentor_side(declaration, user)
    if not decision:
        return decision
    if declaration.state not in DECLARATION_EDITABLE:
        return not_now(
            _("The lines can only be changed in a draft or a contested declaration."),
            MentoringErrorCode.DECLARATION_NOT_EDITABLE,
        )
    return ALLOW


def may_get_statement(declaration, user=None) -> Decision:
    if declaration.state == DeclarationState.VALIDATED:
        return ALLOW
    return not_now(
        _("The compensation statement exists once the declaration has been validated."),
        MentoringErrorCode.NO_STATEMENT_YET,
    )


def may_edit_profile(mentor, user) -> Decision:
    if mentor.organisation_id in membership_roles_by_organisation(user):
        return ALLOW
    return deny(_("Only members of the mentor organisation may change its profile."))


def may_apply_for_mentor_status(organisation, user) -> Decision:
    if organisation.pk not in membership_roles_by_organisation(user):
        return deny(_("Only members of the organisation may apply for it."))
    from .models import Mentor

    if Mentor.objects.filter(organisation_id=organisation.pk).exists():
        return not_now(
            _("This organisation already has a mentor status."), MentoringErrorCode.ALREADY_A_MENTOR
        )
    return ALLOW


def may_decide_application(application, user) -> Decision:
    if not has_staff_role(
        user, application.administration_id, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER
    ):
        return deny(_("Only officers of the application's administration may decide on it."))
    if application.state != MentorApplicationState.PENDING:
        return not_now(_("This application has already been decided."), MentoringErrorCode.NOT_DECIDABLE)
    return ALLOW


def may_manage_mentors(user) -> Decision:
    """Suspend or restore a mentor status: an officer or approver of an administration."""
    if administration_ids_where(user, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER):
        return ALLOW
    return deny(_("Only officers may suspend or restore a mentor status."))
