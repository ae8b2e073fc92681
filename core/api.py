"""API pieces shared by every scheme: error answers and the generic workflow endpoints."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ServiceError
from .models import HistoryEntry
from .workflow import available_transitions, describe_parameters, perform_transition


def exception_handler(exc, context):
    """Service refusals keep their status (400/403/404/409), message, stable code and field errors."""
    if isinstance(exc, ServiceError):
        errors = {
            field: [item["message"] if isinstance(item, dict) else str(item) for item in messages]
            for field, messages in exc.errors.items()
        }
        return Response({"detail": exc.message, "code": str(exc.code), **errors}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class TransitionParameterSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.DictField(), required=False)


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    parameters = TransitionParameterSerializer(many=True)


class HistoryEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = HistoryEntry
        fields = ["id", "transition", "source_state", "target_state", "actor", "at", "comment", "parameters"]
        read_only_fields = fields

    def get_actor(self, entry) -> str | None:
        return entry.actor.email if entry.actor_id else None


def serialize_transitions(file, user) -> list[dict]:
    return [
        {
            "name": spec.name,
            "label": str(spec.label),
            "target": spec.target,
            "parameters": describe_parameters(spec),
        }
        for spec in available_transitions(file, user)
    ]


class WorkflowViewSetMixin:
    """Adds `transitions/`, `transitions/<name>/` and `history/` to a scheme's file viewset.

    The viewset's `get_queryset()` must be scoped to the caller, so a file outside it answers 404.
    """

    @extend_schema(
        responses=TransitionSerializer(many=True), summary="Transitions the caller may perform now"
    )
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request, pk=None):
        return Response(serialize_transitions(self.get_object(), request.user))

    @extend_schema(
        request=inline_serializer(
            "TransitionRequest",
            {"comment": serializers.CharField(required=False, allow_blank=True)},
        ),
        responses={
            200: OpenApiResponse(description="The updated file"),
            400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
            403: OpenApiResponse(ErrorSerializer, description="Not permitted"),
            409: OpenApiResponse(
                ErrorSerializer, description="State does not allow it, or another change won"
            ),
        },
        summary="Perform a transition",
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def perform_transition(self, request, pk=None, name=None):
        file = perform_transition(
            file=self.get_object(), name=name, acting_user=request.user, data=request.data
        )
        return Response(self.get_serializer(file).data)

    @extend_schema(responses=HistoryEntrySerializer(many=True), summary="The file's append-only history")
    @action(detail=True, methods=["get"], url_path="history", pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        entries = HistoryEntry.objects.for_file(self.get_object()).select_related("actor")
        return Response(HistoryEntrySerializer(entries, many=True).data)
