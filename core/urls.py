from django.urls import path

from . import eligibility_views, views

app_name = "core"

urlpatterns = [
    path("eligibility/", eligibility_views.eligibility_check, name="eligibility_check"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("work-queue/", views.work_queue_view, name="work_queue"),
    path("tasks/", views.tasks_view, name="tasks"),
    path("dashboards/", views.dashboards_view, name="dashboards"),
    path("search/", views.search_view, name="search"),
    path("payments/orders/", views.payment_order_list, name="payment_order_list"),
    path("payments/orders/sepa-export/", views.sepa_export, name="sepa_export"),
    path("payments/orders/<int:pk>/", views.payment_order_detail, name="payment_order_detail"),
    path("payments/batches/<int:pk>/pain001.xml", views.sepa_batch_download, name="sepa_batch_download"),
    path(
        "payments/orders/<int:pk>/transitions/<str:name>/",
        views.PaymentOrderTransitionView.as_view(),
        name="payment_order_transition",
    ),
]
