from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("work-queue/", views.work_queue_view, name="work_queue"),
]
