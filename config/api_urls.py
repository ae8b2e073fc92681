from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api import MeView, obtain_token
from core.api_views import (
    DashboardViewSet,
    NotificationViewSet,
    PaymentOrderViewSet,
    SearchViewSet,
    SepaBatchViewSet,
    TaskViewSet,
)
from core.eligibility_views import OrganisationViewSet
from grants.api import CallViewSet, GrantApplicationViewSet
from guarantees.api import GuaranteeRequestViewSet, PortfolioView
from peer_mentoring.api import AgreementViewSet, DeclarationViewSet, MentorApplicationViewSet, MentorViewSet

DOCS_CSP = csp_update(
    {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}
)

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("payments/orders", PaymentOrderViewSet, basename="payment-order")
router.register("payments/batches", SepaBatchViewSet, basename="sepa-batch")
router.register("search", SearchViewSet, basename="search")
router.register("tasks", TaskViewSet, basename="task")
router.register("dashboards", DashboardViewSet, basename="dashboard")
router.register("grants/calls", CallViewSet, basename="grant-call")
router.register("grants/applications", GrantApplicationViewSet, basename="grant-application")
router.register("guarantees/requests", GuaranteeRequestViewSet, basename="guarantee-request")
router.register("mentoring/mentors", MentorViewSet, basename="mentoring-mentor")
router.register(
    "mentoring/mentor-applications", MentorApplicationViewSet, basename="mentoring-mentor-application"
)
router.register("mentoring/agreements", AgreementViewSet, basename="mentoring-agreement")
router.register("mentoring/declarations", DeclarationViewSet, basename="mentoring-declaration")

urlpatterns = [
    path("auth/token/", obtain_token, name="api-token"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The documentation pages start Swagger UI and Redoc (served from here) with an inline script.
    path("docs/", DOCS_CSP(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("redoc/", DOCS_CSP(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    path("guarantees/portfolio/", PortfolioView.as_view(), name="guarantee-portfolio"),
    path("", include(router.urls)),
]
