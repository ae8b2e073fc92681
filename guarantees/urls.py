from django.urls import path
from django.views.generic import RedirectView

from core import document_views, instruction_views, message_views

from . import open_data, views
from .selectors import requests_visible_to

app_name = "guarantees"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="guarantees:request_list"), name="index"),
    path("open-data/guarantees.csv", open_data.guarantees_csv, name="open_data_csv"),
    path("open-data/guarantees.json", open_data.guarantees_json, name="open_data_json"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/export.csv", views.export_csv, name="export_csv"),
    path("requests/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    # The shared messages page and instruction controls, finding files as the file page does.
    path(
        "requests/<int:pk>/messages/",
        message_views.thread_view(requests_visible_to, url_namespace="guarantees"),
        name="messages",
    ),
    path(
        "requests/<int:pk>/messages/attachments/<int:attachment_pk>/",
        message_views.attachment_view(requests_visible_to),
        name="message_attachment",
    ),
    path(
        "requests/<int:pk>/instruction/",
        instruction_views.instruction_view(requests_visible_to),
        name="instruction",
    ),
    path("requests/<int:pk>/risk-review/", views.risk_review, name="risk_review"),
    path("requests/<int:pk>/declare/", views.declare, name="declare"),
    path("requests/<int:pk>/recovery/", views.recovery, name="recovery"),
    path("requests/<int:pk>/offer-letter.pdf", views.offer_letter_pdf, name="offer_letter_pdf"),
    path("requests/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "requests/<int:pk>/documents/",
        document_views.upload_view(
            requests_visible_to, success_url=lambda file, user: file.get_absolute_url() + "#documents"
        ),
        name="document_upload",
    ),
    path(
        "requests/<int:pk>/documents/<int:document_pk>/",
        document_views.download_view(requests_visible_to),
        name="document_download",
    ),
    path(
        "requests/<int:pk>/transitions/<str:name>/",
        views.RequestTransitionView.as_view(),
        name="request_transition",
    ),
    path("loans/", views.lender_loans_page, name="lender_loans"),
    path("loans/declarations-template.csv", views.declarations_template, name="declarations_template"),
    path("portfolio/", views.portfolio, name="portfolio"),
]
