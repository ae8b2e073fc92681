"""Reads about who a user is: staff roles per administration, organisations they belong to."""

from collections import defaultdict

from django.db.models import QuerySet

from .models import Membership, Organisation, Recognition, StaffRole, User

_ROLES_CACHE = "_staff_roles_by_administration"
_MEMBERSHIP_CACHE = "_membership_roles_by_organisation"


def _load_roles(user: User) -> None:
    """Staff roles and memberships in one query (every page needs both), cached on the user object."""
    from django.db.models import CharField, Value

    staff_rows = StaffRole.objects.filter(user=user).values_list(
        Value("staff", output_field=CharField()), "administration_id", "role"
    )
    member_rows = Membership.objects.filter(user=user).values_list(
        Value("member", output_field=CharField()), "organisation_id", "role"
    )
    roles: dict[int, set[str]] = defaultdict(set)
    memberships: dict[int, str] = {}
    for kind, target_id, role in staff_rows.union(member_rows, all=True):
        if kind == "staff":
            roles[target_id].add(role)
        else:
            memberships[target_id] = role
    setattr(user, _ROLES_CACHE, dict(roles))
    setattr(user, _MEMBERSHIP_CACHE, memberships)


def staff_roles_by_administration(user: User) -> dict[int, set[str]]:
    """{administration_id: {"officer", "approver", ...}}, read once per user object."""
    if not user.is_authenticated:
        return {}
    if getattr(user, _ROLES_CACHE, None) is None:
        _load_roles(user)
    return getattr(user, _ROLES_CACHE)


def membership_roles_by_organisation(user: User) -> dict[int, str]:
    """{organisation_id: "admin" | "member"}, read once per user object."""
    if not user.is_authenticated:
        return {}
    if getattr(user, _MEMBERSHIP_CACHE, None) is None:
        _load_roles(user)
    return getattr(user, _MEMBERSHIP_CACHE)


def forget_cached_roles(user: User) -> None:
    for name in (_ROLES_CACHE, _MEMBERSHIP_CACHE):
        if hasattr(user, name):
            delattr(user, name)


def administration_ids_where(user: User, *roles: str) -> set[int]:
    """The administrations where the user holds one of `roles` (any role when none is named)."""
    return {
        administration_id
        for administration_id, held in staff_roles_by_administration(user).items()
        if not roles or held.intersection(roles)
    }


def has_staff_role(user: User, administration_id: int | None, *roles: str) -> bool:
    return administration_id in administration_ids_where(user, *roles)


def is_staff_member(user: User) -> bool:
    return bool(staff_roles_by_administration(user))


def is_member_of(user: User, organisation_id: int) -> bool:
    return organisation_id in membership_roles_by_organisation(user)


def is_admin_of(user: User, organisation_id: int) -> bool:
    return membership_roles_by_organisation(user).get(organisation_id) == Membership.Role.ADMIN


def organisations_of(user: User) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(memberships__user=user)
        .prefetch_related("joint_committees")
        .order_by("name_fr", "name_nl")
    )


def visible_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations a user may read: their own; all of them for administration staff."""
    if user.is_superuser or is_staff_member(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user)


def recognitions_to_verify(administration_ids) -> QuerySet[Recognition]:
    """Unverified recognitions by authorities routed to these administrations, oldest first."""
    return (
        Recognition.objects.filter(
            verified_at__isnull=True, authority__administration_id__in=administration_ids
        )
        .select_related("organisation", "authority", "joint_committee")
        .order_by("created_at", "pk")
    )
