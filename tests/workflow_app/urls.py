from django.urls import path

from . import views

urlpatterns = [
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path(
        "samples/<int:pk>/transitions/<str:name>/",
        views.SampleTransitionView.as_view(),
        name="sample_transition",
    ),
]
