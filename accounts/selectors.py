"""Reads about who a user is: staff roles per administration, organisations they belong to."""

from collections import defaultdict

from django.db.models import QuerySet

from .models import Membership, Organisation, Recognition, StaffRole, User

_ROLES_CACHE = "_staff_roles_by_administration"
_MEMBERSHIP_CACHE = "_membership_roles_by_organisation"


def staff_roles_by_administration(user: User) -> dict[int, set[str]]:
    """{administration_id: {"officer", "approver", ...}}, read once per user object."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = defaultdict(set)
        for administration_id, role in StaffRole.objects.filter(user=user).values_list(
            "administration_id", "role"
        ):
            cached[administration_id].add(role)
        cached = dict(cached)
        setattr(user, _ROLES_CACHE, cached)
    return cached


def membership_roles_by_organisation(user: User) -> dict[int, str]:
    """{organisation_id: "admin" | "member"}, read once per user object."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _MEMBERSHIP_CACHE, None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        setattr(user, _MEMBERSHIP_CACHE, cached)
    return cached


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
