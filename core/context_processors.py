from .notifications import unread_count


def navigation(request):
    """The layout's inbox badge (accounts' own `navigation` gives the menu for the user's roles)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread_notifications": unread_count(user)}
