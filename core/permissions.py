"""Permission checks that say *why* an action is unavailable (role, ownership, four eyes).

Each check takes `(file, user)` and returns a `Decision`, truthy when allowed; the workflow uses
them for the 403 answer and the UI shows the reason beside a disabled action.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from accounts.selectors import has_staff_role, membership_roles_by_organisation

from .error_codes import ErrorCode


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    code: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason, code: str = ErrorCode.NOT_PERMITTED) -> Decision:
    return Decision(False, str(reason), str(code))


Check = Callable[[object, object], Decision]


def is_applicant(file, user) -> Decision:
    """A member (admin or member) of an organisation that acts on the file."""
    if set(membership_roles_by_organisation(user)).intersection(file.acting_organisation_ids()):
        return ALLOW
    return deny(_("Only members of the applying organisation may do this."))


def _staff_check(*roles: str, reason) -> Check:
    def check(file, user) -> Decision:
        if has_staff_role(user, file.administration_id, *roles):
            return ALLOW
        return deny(reason)

    return check


is_officer = _staff_check(
    StaffRole.Role.OFFICER,
    StaffRole.Role.APPROVER,
    reason=_("Only officers of the file's administration may do this."),
)
is_approver = _staff_check(
    StaffRole.Role.APPROVER, reason=_("Only approvers of the file's administration may take this decision.")
)
is_finance = _staff_check(
    StaffRole.Role.FINANCE, reason=_("Only finance officers of the administration may do this.")
)


def not_among(user, user_ids: Iterable[int | None]) -> Decision:
    """Four eyes: the decision-maker is none of the people who prepared the file."""
    if user.pk in {pk for pk in user_ids if pk is not None}:
        return deny(
            _("Four-eyes rule: the person who prepared this file cannot also decide on it."),
            ErrorCode.FOUR_EYES,
        )
    return ALLOW


def all_of(*checks: Check) -> Check:
    def check(file, user) -> Decision:
        for one in checks:
            decision = one(file, user)
            if not decision:
                return decision
        return ALLOW

    return check


def any_of(*checks: Check) -> Check:
    def check(file, user) -> Decision:
        first_refusal = None
        for one in checks:
            decision = one(file, user)
            if decision:
                return decision
            first_refusal = first_refusal or decision
        return first_refusal or deny(_("You may not do this."))

    return check
