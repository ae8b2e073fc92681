"""API pieces shared by every scheme: error answers and the generic workflow endpoints."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .documents import attach_document
from .exceptions import NotPermitted, ServiceError
from .models import Document, DocumentType, HistoryEntry
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
    @action(detail=True, methods=["get"], url_path="transitions", filter_backends=[])
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
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)", filter_backends=[])
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


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "document_type",
            "series",
            "version",
            "original_name",
            "media_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, document) -> str:
        return document.uploaded_by.email


class DocumentUploadSerializer(serializers.Serializer):
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    file = serializers.FileField()
    replaces = serializers.IntegerField(required=False, help_text="id of the document this one replaces")


class DocumentsViewSetMixin:
    """Adds `documents/` (list, upload a typed document or a new version) and
    `documents/<id>/download/` to a scheme's file viewset (scoped `get_queryset()` required)."""

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True), summary="The file's documents")
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="Upload a document, or a new version of one",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="documents",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        file = self.get_object()
        if request.method == "GET":
            documents = (
                Document.objects.for_file(file)
                .select_related("uploaded_by")
                .order_by("document_type", "series", "version")
            )
            return Response(DocumentSerializer(documents, many=True).data)
        decision = file.may_upload_documents(request.user)
        if not decision:
            raise NotPermitted(decision.reason)
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        replaces = None
        if upload.validated_data.get("replaces"):
            replaces = Document.objects.for_file(file).filter(pk=upload.validated_data["replaces"]).first()
            if replaces is None:
                raise serializers.ValidationError({"replaces": [_("Unknown document for this file.")]})
        try:
            document = attach_document(
                file=file,
                document_type=upload.validated_data["document_type"],
                upload=upload.validated_data["file"],
                acting_user=request.user,
                replaces=replaces,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"file": error.messages}) from None
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes}, summary="Download a document")
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)/download",
        filter_backends=[],
    )
    def download_document(self, request, pk=None, document_id=None):
        file = self.get_object()
        document = get_object_or_404(Document.objects.for_file(file), pk=document_id)
        return FileResponse(
            document.content.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.media_type,
        )
