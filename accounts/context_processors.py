from .permissions import OFFICER_ROLES
from .selectors import administration_ids_where, is_staff_member, membership_roles_by_organisation


def navigation(request):
    """What the layout needs to show the right menu for the user's roles (the inbox badge comes
    from `core.context_processors.navigation`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_staff_member": is_staff_member(user),
        "nav_has_organisations": bool(membership_roles_by_organisation(user)),
        "nav_verifies_recognitions": bool(administration_ids_where(user, *OFFICER_ROLES)),
    }
