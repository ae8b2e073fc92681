from django.urls import path

from . import recognition_views, views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("language/", views.switch_language, name="switch_language"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/recognitions/new/", views.recognition_add, name="recognition_add"),
    path(
        "organisations/<int:pk>/recognitions/<int:recognition_pk>/verify/",
        recognition_views.verify,
        name="recognition_verify",
    ),
    path(
        "organisations/<int:pk>/recognitions/<int:recognition_pk>/evidence/",
        recognition_views.evidence,
        name="recognition_evidence",
    ),
    path("recognitions/to-verify/", recognition_views.to_verify, name="recognitions_to_verify"),
    path(
        "organisations/<int:pk>/enterprise-number/",
        views.enterprise_number_correct,
        name="enterprise_number_correct",
    ),
    path("organisations/<int:pk>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
