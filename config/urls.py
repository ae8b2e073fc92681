from django.contrib import admin
from django.urls import include, path

from core import eligibility_views, open_data

# Uploaded documents are never served from MEDIA_URL, not even in development: every download goes
# through a view that checks who may see it (recognition evidence, file documents).
urlpatterns = [
    path("", eligibility_views.home, name="home"),
    path("open-data/", open_data.index, name="open_data"),
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
