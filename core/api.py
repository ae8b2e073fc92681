"""API pieces shared by every scheme: error answers and the generic workflow endpoints."""

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.fields import get_error_detail
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .documents import ALLOWED_MEDIA_TYPES, attach_document
from .error_codes import ErrorCode
from .exceptions import NotPermitted, ServiceError, Unavailable
from .models import Document, DocumentType, HistoryEntry
from .parsers import JSONParser
from .renderers import DOCUMENT_RENDERERS, accepts
from .workflow import available_transitions, describe_parameters, perform_transition

RETRY_AFTER_SECONDS = 30  # what a 503 asks the client to wait


def exception_handler(exc, context):
    """Every error of every endpoint answers one body: `{"detail", "code", "errors"}`.

    `detail` is a message in the request's language, `code` a stable machine-readable code and
    `errors` maps each field (nested ones flattened with dots, `budget_lines.0.amount`; errors that
    are about no field under `non_field_errors`) to `[{"message", "code"}]`; it is `{}` otherwise.
    Service refusals keep their status (400/403/404/409), code and field errors; a Django
    `ValidationError` raised by a rule keeps its codes; DRF's headers (`WWW-Authenticate` on 401,
    `Retry-After` on 429) are kept.
    """
    if isinstance(exc, ServiceError):
        body = error_body(exc.message, exc.code, _service_errors(exc.errors, exc.code))
        retry = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(exc, Unavailable) else None
        return Response(body, status=exc.status_code, headers=retry)
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = _rule_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # Django's message names the model ("No X matches the given query.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = api_error_body(exc)
    return response


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


class RuleError(exceptions.ValidationError):
    """A Django `ValidationError` raised by a rule, with its codes (its first one answers `code`)."""

    def __init__(self, detail, code):
        super().__init__(detail)
        self.rule_code = code


def _rule_error(error: DjangoValidationError) -> RuleError:
    detail = get_error_detail(error)  # reads error_dict / error_list, so every code is kept
    if isinstance(detail, dict):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in detail.items()
        }
    first = next(iter(error.error_list if not hasattr(error, "error_dict") else _all(error)), None)
    return RuleError(detail, code=(first.code if first is not None and first.code else None))


def _all(error: DjangoValidationError):
    for errors in error.error_dict.values():
        yield from errors


def api_error_body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        non_field = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        detail = non_field[0]["message"] if non_field else str(exceptions.ValidationError.default_detail)
        code = getattr(exc, "rule_code", None) or ErrorCode.INVALID_INPUT
        return error_body(detail, code, errors)
    if isinstance(exc.detail, dict | list):  # an APIException raised with structured details
        errors = flatten_errors(exc.detail)
        return error_body(str(exc.default_detail), exc.default_code, errors)
    return error_body(str(exc.detail), getattr(exc.detail, "code", None) or exc.default_code, {})


def error_body(detail, code, errors: dict) -> dict:
    return {"detail": str(detail), "code": str(code), "errors": errors}


def flatten_errors(detail, prefix: str = "") -> dict[str, list[dict]]:
    """DRF's nested error details as `{"a.0.b": [{"message", "code"}]}`."""
    flat: dict[str, list[dict]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        messages = [item for item in detail if not isinstance(item, dict | list)]
        if messages:
            flat[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [
                {"message": str(item), "code": str(getattr(item, "code", None) or ErrorCode.INVALID_INPUT)}
                for item in messages
            ]
        for index, item in enumerate(detail):
            if isinstance(item, dict | list) and item:
                flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [
            {"message": str(detail), "code": str(getattr(detail, "code", None) or ErrorCode.INVALID_INPUT)}
        ]
    return flat


def _service_errors(errors: dict, code) -> dict[str, list[dict]]:
    """A service's field errors, whose items are `{"message", "code"}` dicts or plain messages."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else str(field)): [
            {"message": str(item["message"]), "code": str(item.get("code") or code)}
            if isinstance(item, dict)
            else {"message": str(item), "code": str(code)}
            for item in (messages if isinstance(messages, list | tuple) else [messages])
        ]
        for field, messages in errors.items()
    }


class ErrorItemSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    code = serializers.CharField(help_text="A stable, machine-readable code.")
    errors = serializers.DictField(
        child=serializers.ListField(child=ErrorItemSerializer()),
        help_text="Errors per field (nested fields joined with dots, `budget_lines.0.amount`; errors "
        "about no field under `non_field_errors`); empty when the error is not about fields.",
    )


# The refusals of every letter (PDF) endpoint, beside the scope's 404 and the permission's 403.
LETTER_RESPONSES = {
    409: OpenApiResponse(ErrorSerializer, description="Not available in the file's current state"),
    503: OpenApiResponse(
        ErrorSerializer,
        description="The letter could not be rendered just now (`service_unavailable`, with `Retry-After`); "
        "the decision it states is recorded",
    ),
}


class TransitionParameterSerializer(serializers.Serializer):
    OPTIONAL_IN_RESPONSES = ("choices",)  # only for a parameter with choices

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
    @action(detail=True, methods=["get"], url_path="transitions", pagination_class=None, filter_backends=[])
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
        file = self.get_object()
        entries = HistoryEntry.objects.for_file(file).seen_by(request.user, file).select_related("actor")
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
            raise serializers.ValidationError({"file": get_error_detail(error)}) from None
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, media_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="The document, in its own media type"
            )
            for media_type in ALLOWED_MEDIA_TYPES
        },
        summary="Download a document",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)/download",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=DOCUMENT_RENDERERS,
    )
    def download_document(self, request, pk=None, document_id=None):
        file = self.get_object()
        document = get_object_or_404(Document.objects.for_file(file), pk=document_id)
        if not accepts(request, document.media_type):
            raise exceptions.NotAcceptable(
                _("This document is a %(media_type)s file.") % {"media_type": document.media_type}
            )
        return FileResponse(
            document.content.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.media_type,
        )
