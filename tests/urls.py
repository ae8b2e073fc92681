"""The project's URLs plus the test-only workflow file's pages and API."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from config.urls import handler500  # noqa: F401  (the project's error handlers apply in the tests too)
from config.urls import urlpatterns as project_urlpatterns
from tests.workflow_app.api import SampleFileViewSet

router = SimpleRouter()
router.register("samples", SampleFileViewSet, basename="sample")

urlpatterns = [
    path("api/v1/test/", include(router.urls)),
    *project_urlpatterns,
    path("", include("tests.workflow_app.urls")),
]
