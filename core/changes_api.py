"""`changes/` on every file viewset that mixes `ChangesViewSetMixin` in: what changed between the
file's last two submissions (core.changes), for the staff of its administration only."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.selectors import has_staff_role

from .api import ErrorSerializer
from .changes import latest_changes
from .permissions import deny, require


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class RowChangeSerializer(serializers.Serializer):
    relation = serializers.CharField()
    label = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "removed"])
    cells = serializers.ListField(child=serializers.CharField())


class DocumentChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["added", "replaced"])
    document_type = serializers.CharField()
    label = serializers.CharField()
    name = serializers.CharField()
    previous_name = serializers.CharField(allow_blank=True)


class ChangesSerializer(serializers.Serializer):
    submission = serializers.IntegerField(
        help_text="The number of the latest submission (0: never submitted)."
    )
    since = serializers.DateTimeField(
        allow_null=True, help_text="When the previous submission was made (null before a resubmission)."
    )
    fields = FieldChangeSerializer(many=True)
    rows = RowChangeSerializer(many=True)
    documents = DocumentChangeSerializer(many=True)


def changes_data(file) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from .models import SubmissionSnapshot

    changes = latest_changes(file)
    if changes is None:
        submitted = SubmissionSnapshot.objects.filter(
            content_type=ContentType.objects.get_for_model(type(file)), object_id=file.pk
        ).count()
        return {"submission": submitted, "since": None, "fields": [], "rows": [], "documents": []}
    return {
        "submission": changes.latest.number,
        "since": changes.previous.taken_at,
        "fields": [
            {"field": c.name, "label": c.label, "before": c.before, "after": c.after} for c in changes.fields
        ],
        "rows": [
            {"relation": r.relation, "label": r.label, "change": r.change, "cells": r.cells}
            for r in changes.rows
        ],
        "documents": [
            {
                "change": d.change,
                "document_type": d.document_type,
                "label": d.label,
                "name": d.name,
                "previous_name": d.previous_name,
            }
            for d in changes.documents
        ],
    }


class ChangesViewSetMixin:
    @extend_schema(
        responses={
            200: ChangesSerializer,
            403: OpenApiResponse(
                ErrorSerializer, description="Only the administration's staff compare submissions"
            ),
            404: OpenApiResponse(ErrorSerializer, description="No such file in the caller's scope"),
        },
        summary="What changed since the previous submission",
    )
    @action(detail=True, methods=["get"], url_path="changes", pagination_class=None, filter_backends=[])
    def changes(self, request, pk=None):
        file = self.get_object()
        if not (request.user.is_superuser or has_staff_role(request.user, file.administration_id)):
            require(deny(_("Only the administration's staff compare the submissions of a file.")))
        return Response(ChangesSerializer(changes_data(file)).data)
