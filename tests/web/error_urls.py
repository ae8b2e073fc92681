"""The project's URLs plus pages that fail on purpose, to see the error pages a visitor gets."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from tests.urls import urlpatterns as test_urlpatterns


def server_failure(request):
    raise RuntimeError("a bug")


def suspicious_request(request):
    raise SuspiciousOperation("a malformed request")


def refused_without_reason(request):
    raise PermissionDenied


urlpatterns = [
    path("failing/server/", server_failure),
    path("failing/bad-request/", suspicious_request),
    path("failing/forbidden/", refused_without_reason),
    *test_urlpatterns,
]
