"""Web refusal handling, written once: a service's refusal raised from any web view becomes what the
person should see, with the reason in their language.

- NotPermitted (403): the site's 403 page, with the reason;
- Unavailable (503: a letter that cannot be rendered just now): the site's 503 page, with the reason;
- Conflict (409: the state does not allow it now, or another change won): back to the file (or the
  page the person came from) with the reason as a message;
- an unknown transition: the site's 404 page;
- bad input that no form caught: back, with the message.

Views that show a form catch `InvalidInput` themselves to put each error next to its field. The
API has its own handler (`core.api.exception_handler`), and under /api/ the errors Django answers
itself (an unknown path, a body over the limit, a crash) come in the API's JSON error body too
(`ApiErrorMiddleware`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import get_resolver
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework import exceptions

from .api import RETRY_AFTER_SECONDS, PayloadTooLarge, error_body
from .exceptions import Conflict, InvalidInput, NotPermitted, ServiceError, Unavailable, UnknownTransition


def _back(request, refusal: ServiceError):
    file = getattr(refusal, "file", None)
    if file is not None and hasattr(file, "get_absolute_url"):
        return redirect(file.get_absolute_url())
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect("home")


class ServiceRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceError) or request.path.startswith("/api/"):
            return None
        resolver = get_resolver(getattr(request, "urlconf", None))
        if isinstance(exception, NotPermitted):
            return resolver.resolve_error_handler(403)(request, PermissionDenied(exception.message))
        if isinstance(exception, Unavailable):
            response = render(request, "503.html", {"reason": exception.message}, status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if isinstance(exception, UnknownTransition):
            return resolver.resolve_error_handler(404)(request, Http404(exception.message))
        if isinstance(exception, Conflict | InvalidInput):
            messages.error(request, exception.message)
            return _back(request, exception)
        return None


# -- the API: Django's own error pages as the API's JSON error body ------------------------------


API_PREFIX = "/api/"

# Django's own error pages, by status: what the API says instead.
DJANGO_ERRORS = {
    400: exceptions.ParseError,
    403: exceptions.PermissionDenied,
    404: exceptions.NotFound,
    413: PayloadTooLarge,
    500: exceptions.APIException,
}


class ApiErrorMiddleware:
    """An unknown path under /api/ (404), a body over the upload limit read before a view runs
    (413), a refused request (400, 403) or a crash (500) answer JSON, not an HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code in DJANGO_ERRORS
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return json_error(DJANGO_ERRORS[response.status_code], response.status_code)
        return response

    def process_exception(self, request, exception):
        if request.path_info.startswith(API_PREFIX) and isinstance(exception, RequestDataTooBig):
            return json_error(PayloadTooLarge, PayloadTooLarge.status_code)
        return None


def json_error(exception_class, status: int) -> JsonResponse:
    exception = exception_class()
    return JsonResponse(error_body(exception.detail, exception.default_code, {}), status=status)
