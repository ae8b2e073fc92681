"""`messages/` on every file viewset that mixes `MessagesViewSetMixin` in: the thread (internal
notes only for the administration's staff), sending a message or a note with attachments, and
downloading an attachment. The decisions are `core.messaging`'s, as on the web."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from . import messaging
from .documents import ALLOWED_MEDIA_TYPES
from .models import Message, MessageAttachment, MessageReceipt
from .parsers import JSONParser
from .permissions import require
from .renderers import DOCUMENT_RENDERERS


class MessageAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageAttachment
        fields = ["id", "original_name", "media_type", "size", "sha256"]
        read_only_fields = fields


class MessageReceiptSerializer(serializers.ModelSerializer):
    reader = serializers.SerializerMethodField()

    class Meta:
        model = MessageReceipt
        fields = ["reader", "read_at"]
        read_only_fields = fields

    def get_reader(self, receipt) -> str:
        return receipt.reader.email


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    attachments = MessageAttachmentSerializer(many=True, read_only=True)
    receipts = MessageReceiptSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "author",
            "from_administration",
            "internal",
            "body",
            "sent_at",
            "attachments",
            "receipts",
        ]
        read_only_fields = fields

    def get_author(self, message) -> str:
        return message.author.email


class MessagePostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=messaging.MAX_MESSAGE_LENGTH, allow_blank=False)
    internal = serializers.BooleanField(
        required=False, default=False, help_text="An internal note (the administration's staff only)"
    )
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class MessagesViewSetMixin:
    """The viewset's `get_queryset()` must be scoped to the caller: a file outside it answers 404."""

    @extend_schema(
        methods=["GET"],
        responses=MessageSerializer(many=True),
        summary="The file's messages (and, for its administration's staff, internal notes); marks them read",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": MessagePostSerializer, "application/json": MessagePostSerializer},
        responses={201: MessageSerializer},
        summary="Send a message, or write an internal note, with attachments",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="messages",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
        filter_backends=[],
    )
    def messages(self, request, pk=None):
        file = self.get_object()
        require(messaging.may_read_messages(file, request.user), file=file)
        if request.method == "GET":
            thread = list(messaging.thread(file, request.user))
            messaging.mark_read(thread, request.user)
            return Response(MessageSerializer(thread, many=True).data)
        require(messaging.may_post_message(file, request.user), file=file)
        incoming = MessagePostSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        uploads = request.FILES.getlist("attachments") if hasattr(request, "FILES") else []
        # A refused body or attachment is a Django ValidationError: the shared handler answers 400
        # with each field's messages and codes.
        message = messaging.post_message(
            file=file,
            acting_user=request.user,
            body=incoming.validated_data["body"],
            internal=incoming.validated_data["internal"],
            attachments=uploads or incoming.validated_data["attachments"],
        )
        message = messaging.thread(file, request.user).get(pk=message.pk)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, media_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="The attachment, in its own media type"
            )
            for media_type in ALLOWED_MEDIA_TYPES
        },
        summary="Download a message's attachment",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"messages/attachments/(?P<attachment_id>[0-9]+)",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=DOCUMENT_RENDERERS,
    )
    def message_attachment(self, request, pk=None, attachment_id=None):
        file = self.get_object()
        if len(attachment_id) > 18 or not messaging.may_read_messages(file, request.user):
            raise Http404
        attachment = messaging.attachment_for(file, request.user, int(attachment_id))
        if attachment is None:
            raise Http404
        return FileResponse(
            attachment.content.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.media_type,
        )
