"""Under /api/, the errors Django answers itself, before or around the API's views, come in the
API's one JSON error body too (see `core.api.exception_handler`)."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from rest_framework import exceptions

from .api import PayloadTooLarge, error_body

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
