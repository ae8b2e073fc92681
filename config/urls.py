from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import eligibility_views

urlpatterns = [
    path("", eligibility_views.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("core.urls")),
    path("grants/", include("grants.export_urls")),
    path("grants/", include("grants.urls")),
    path("auth/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
