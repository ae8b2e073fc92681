"""The CSRF-failure page in the site's layout; 400, 403, 404 and 500 use Django's handlers and our templates."""

from django.conf import settings
from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a translated explanation instead of Django's English page. Django's technical
    reason (and its log line) helps developers only: it shows in DEBUG."""
    return render(request, "403_csrf.html", {"debug_reason": reason if settings.DEBUG else ""}, status=403)
