"""REST endpoints of the shared app: the inbox and payment orders."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .api import WorkflowViewSetMixin
from .models import Notification, PaymentOrder
from .payments import payment_orders_visible_to
from .serializers import NotificationSerializer, PaymentOrderSerializer


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's inbox."""

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    filterset_fields = {"read_at": ["isnull"]}

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark a notification as read")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(NotificationSerializer(notification).data)


class PaymentOrderViewSet(
    WorkflowViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Payment orders of the caller's administrations; approve / mark_paid / cancel via transitions."""

    queryset = PaymentOrder.objects.none()
    serializer_class = PaymentOrderSerializer
    filterset_fields = ["state", "kind", "administration__code", "file_reference"]
    ordering_fields = ["created_at", "amount", "due_date"]

    def get_queryset(self):
        return payment_orders_visible_to(self.request.user).order_by("-created_at", "-id")
