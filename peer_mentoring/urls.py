from django.urls import path

from core import instruction_views, message_views

from . import export_views, open_data, views
from .selectors import agreements_visible_to, declarations_visible_to

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("open-data/hours.csv", open_data.hours_csv, name="open_data_csv"),
    path("open-data/hours.json", open_data.hours_json, name="open_data_json"),
    path("apply/", views.apply, name="apply"),
    path("mentors/", views.mentor_admin, name="mentor_admin"),
    path("mentors/<int:pk>/profile/", views.profile_edit, name="profile_edit"),
    path("mentors/<int:pk>/state/", views.set_mentor_state, name="set_mentor_state"),
    path("applications/<int:pk>/decide/", views.decide_application, name="decide_application"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        views.application_document,
        name="application_document",
    ),
    path("overview/", views.overview, name="overview"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export.csv", export_views.agreements_csv, name="agreements_csv"),
    path("agreements/export.xlsx", export_views.agreements_xlsx, name="agreements_xlsx"),
    path("agreements/new/", views.agreement_start, name="agreement_start"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    # The shared messages page and instruction controls, finding files as their pages do.
    path(
        "agreements/<int:pk>/messages/",
        message_views.thread_view(
            agreements_visible_to, attachment_url="mentoring:agreement_message_attachment"
        ),
        name="agreement_messages",
    ),
    path(
        "agreements/<int:pk>/messages/attachments/<int:attachment_pk>/",
        message_views.attachment_view(agreements_visible_to),
        name="agreement_message_attachment",
    ),
    path(
        "agreements/<int:pk>/instruction/",
        instruction_views.instruction_view(agreements_visible_to),
        name="agreement_instruction",
    ),
    path(
        "declarations/<int:pk>/messages/",
        message_views.thread_view(
            declarations_visible_to, attachment_url="mentoring:declaration_message_attachment"
        ),
        name="declaration_messages",
    ),
    path(
        "declarations/<int:pk>/messages/attachments/<int:attachment_pk>/",
        message_views.attachment_view(declarations_visible_to),
        name="declaration_message_attachment",
    ),
    path(
        "declarations/<int:pk>/instruction/",
        instruction_views.instruction_view(declarations_visible_to),
        name="declaration_instruction",
    ),
    path("agreements/<int:pk>/declarations/new/", views.declaration_start, name="declaration_start"),
    path(
        "agreements/<int:pk>/transitions/<str:name>/",
        views.AgreementTransitionView.as_view(),
        name="agreement_transition",
    ),
    path("declarations/", views.declaration_list, name="declaration_list"),
    path("declarations/export.csv", export_views.declarations_csv, name="declarations_csv"),
    path("declarations/export.xlsx", export_views.declarations_xlsx, name="declarations_xlsx"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/edit/", views.declaration_edit, name="declaration_edit"),
    path("declarations/<int:pk>/statement.pdf", views.statement_pdf, name="statement_pdf"),
    path(
        "declarations/<int:pk>/transitions/<str:name>/",
        views.DeclarationTransitionView.as_view(),
        name="declaration_transition",
    ),
]
