"""Grant exports, included under `grants/` before the grant pages."""

from django.urls import path

from . import export_views

app_name = "grant_exports"

urlpatterns = [
    path("export/applications.csv", export_views.applications_csv, name="applications_csv"),
    path("export/applications.xlsx", export_views.applications_xlsx, name="applications_xlsx"),
    path("open-data/awards.csv", export_views.open_data_csv, name="open_data_csv"),
    path("open-data/awards.json", export_views.open_data_json, name="open_data_json"),
]
