"""The CSRF-failure page in the site's layout; 400, 403, 404 and 500 use Django's handlers and our templates."""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a translated explanation instead of Django's English page (the reason is logged by Django)."""
    return render(request, "403_csrf.html", status=403)
