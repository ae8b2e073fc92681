"""The CSRF-failure page in the site's layout; 400, 403 and 404 use Django's handlers and our
templates; a server error is Django's 500 page, except when the database does not answer: a
translated 503 that says to try again (JSON under /api/)."""

import sys

from django import db
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from core.api import RETRY_AFTER_SECONDS
from core.middleware import API_PREFIX


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a translated explanation instead of Django's English page. Django's technical
    reason (and its log line) helps developers only: it shows in DEBUG."""
    return render(request, "403_csrf.html", {"debug_reason": reason if settings.DEBUG else ""}, status=403)


def server_error(request):
    """handler500: Django calls it while handling the exception, which `sys.exc_info()` gives. A lost
    or refused database connection is the service being unavailable for a moment, not a bug: 503
    with Retry-After. The page is rendered without a request context (no context processor may query
    the database that just failed). Django closes the broken connection at the end of the request
    and the next one connects again: nothing to restart."""
    error = sys.exc_info()[1]
    if not isinstance(error, db.OperationalError | db.InterfaceError):
        return defaults.server_error(request)
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse(
            {
                "detail": _("The service is unavailable for a moment. Please try again in a few seconds."),
                "code": "service_unavailable",
                "errors": {},
            },
            status=503,
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
