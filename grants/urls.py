from django.urls import path
from django.views.generic import RedirectView

from core import document_views, instruction_views, message_views

from . import drafting_views, views
from .selectors import applications_visible_to

app_name = "grants"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="grants:application_list"), name="index"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", drafting_views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", drafting_views.application_edit, name="application_edit"),
    # The shared document pages, finding files as the file page does (outside the scope: 404).
    path(
        "applications/<int:pk>/documents/",
        document_views.upload_view(applications_visible_to, success_url=drafting_views.after_upload),
        name="document_upload",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        document_views.download_view(applications_visible_to),
        name="document_download",
    ),
    # The shared messages page: the thread with the administration, and internal notes for its staff.
    path(
        "applications/<int:pk>/messages/",
        message_views.thread_view(applications_visible_to, url_namespace="grants"),
        name="messages",
    ),
    path(
        "applications/<int:pk>/messages/attachments/<int:attachment_pk>/",
        message_views.attachment_view(applications_visible_to),
        name="message_attachment",
    ),
    # The shared instruction controls: assignment, review requests, conflict-of-interest declarations.
    path(
        "applications/<int:pk>/instruction/",
        instruction_views.instruction_view(applications_visible_to),
        name="instruction",
    ),
    path("applications/<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("applications/<int:pk>/award-letter.pdf", views.award_letter_pdf, name="award_letter_pdf"),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/reports/interim/", views.report, {"kind": "interim"}, name="interim_report"),
    path("applications/<int:pk>/reports/final/", views.report, {"kind": "final"}, name="final_report"),
    path(
        "applications/<int:pk>/transitions/<str:name>/",
        drafting_views.ApplicationTransitionView.as_view(),
        name="application_transition",
    ),
]
