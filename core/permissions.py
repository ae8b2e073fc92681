"""Decisions that say *why* an action is unavailable (role, ownership, four eyes, state, deadline).

Every action, transition or not, has one decision function `(file, user) -> Decision`: truthy when
allowed, else a reason the UI shows and a stable code the API returns. A refusal is either "not for
you" (403, `deny`) or "not now" (409, `not_now`). Services call `require(decision)` (after taking
their lock), and web views and API endpoints ask the same function, so they never disagree.
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
    status: int = 403  # 403: not for this person; 409: not in this state or not any more

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def is_conflict(self) -> bool:
        return not self.allowed and self.status == 409


ALLOW = Decision(True)


def deny(reason, code: str = ErrorCode.NOT_PERMITTED) -> Decision:
    """Not for this person (HTTP 403)."""
    return Decision(False, str(reason), str(code), 403)


def not_now(reason, code: str = ErrorCode.INVALID_STATE) -> Decision:
    """Not in the file's current state, or not any more (HTTP 409)."""
    return Decision(False, str(reason), str(code), 409)


def refusal(decision: Decision, *, file=None):
    """The exception that carries a refused decision: NotPermitted (403) or Conflict (409)."""
    from .exceptions import Conflict, NotPermitted

    exception = Conflict if decision.is_conflict else NotPermitted
    return exception(decision.reason, code=decision.code or None, file=file)


def require(decision: Decision, *, file=None) -> None:
    """Raise the refusal of a decision that does not allow the action."""
    if not decision:
        raise refusal(decision, file=file)


Check = Callable[[object, object], Decision]


def is_applicant(file, user) -> Decision:
    """A member (admin or member) of the organisation that applies (the file type's applicant party)."""
    if set(membership_roles_by_organisation(user)).intersection(file.acting_organisation_ids()):
        return ALLOW
    return deny(_("Only members of the applying organisation may do this."))


def is_party(*roles: str, reason=None) -> Check:
    """A member of an organisation party to the file in one of `roles` (lender, mentor, mentee...)."""
    from .scope import party_organisation_ids

    def check(file, user) -> Decision:
        mine = set(membership_roles_by_organisation(user))
        if mine and mine & party_organisation_ids(file, *roles):
            return ALLOW
        return deny(reason or _("Only members of the organisation concerned may do this."))

    return check


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
