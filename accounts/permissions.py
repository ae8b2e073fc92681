"""Who may do what with organisations and recognitions: one decision function per action, answering
`(allowed, reason)` so that pages offer only what the user may do and can say why not."""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from .models import Organisation, Recognition, StaffRole, User
from .selectors import administration_ids_where, has_staff_role, is_member_of

OFFICER_ROLES = (StaffRole.Role.OFFICER, StaffRole.Role.APPROVER)


class Decision(NamedTuple):
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def may_verify_recognition(user: User, recognition: Recognition) -> Decision:
    """Officers of the administration the recognising authority routes files to."""
    if not has_staff_role(user, recognition.authority.administration_id, *OFFICER_ROLES):
        return Decision(
            False, _("Only officers of the administration competent for this authority may verify it.")
        )
    return Decision(True)


def may_correct_enterprise_number(user: User, organisation: Organisation) -> Decision:
    """Officers (and approvers) of an administration; never the organisation's own members."""
    if not administration_ids_where(user, *OFFICER_ROLES):
        return Decision(False, _("Only an officer of an administration may correct the enterprise number."))
    return Decision(True)


def may_download_evidence(user: User, recognition: Recognition) -> bool:
    """The organisation's members and the staff of the competent administration (others get 404)."""
    return (
        user.is_superuser
        or is_member_of(user, recognition.organisation_id)
        or has_staff_role(user, recognition.authority.administration_id)
    )
