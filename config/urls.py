from django.contrib import admin
from django.urls import include, path

from core import eligibility_views, health, open_data

# Uploaded documents are never served from MEDIA_URL, not even in development: every download goes
# through a view that checks who may see it (recognition evidence, file documents).
urlpatterns = [
    path("", eligibility_views.home, name="home"),
    path("open-data/", open_data.index, name="open_data"),
    path("health/live/", health.liveness, name="liveness"),
    path("health/ready/", health.readiness, name="readiness"),
    path("", include("accounts.urls")),
    path("", include("core.urls")),
    path("grants/", include("grants.export_urls")),
    path("grants/", include("grants.urls")),
    path("guarantees/", include("guarantees.urls")),
    path("mentoring/", include("peer_mentoring.urls")),
    path("auth/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
]

# A crash answers the translated 500 page; a database that does not answer, a translated 503 (JSON
# under /api/), and the next request reconnects (config.error_views.server_error).
handler500 = "config.error_views.server_error"
