"""`assignment/`, `review-requests/` and `conflict-declaration/` on every file viewset that mixes
`InstructionViewSetMixin` in; the decisions are `core.instruction`'s, as on the web. Staff of the
file's administration only: anyone else who can see the file gets 403."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User

from . import instruction
from .models import Assignment, ConflictDeclaration, ReviewRequest
from .permissions import is_officer, require


class AssignmentSerializer(serializers.Serializer):
    """Who the file is assigned to; every field null while it is assigned to no one."""

    officer = serializers.EmailField(allow_null=True, read_only=True)
    assigned_by = serializers.EmailField(allow_null=True, read_only=True)
    assigned_at = serializers.DateTimeField(allow_null=True, read_only=True)


def _assignment_data(assignment: Assignment | None) -> dict:
    if assignment is None:
        return {"officer": None, "assigned_by": None, "assigned_at": None}
    return AssignmentSerializer(
        {
            "officer": assignment.officer.email,
            "assigned_by": assignment.assigned_by.email,
            "assigned_at": assignment.assigned_at,
        }
    ).data


class AssignSerializer(serializers.Serializer):
    officer = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=2**62,
        help_text="id of an officer of the file's administration; null to unassign",
    )


class RequestedReviewSerializer(serializers.ModelSerializer):
    officer = serializers.SlugRelatedField(slug_field="email", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = ReviewRequest
        fields = ["officer", "requested_by", "requested_at"]
        read_only_fields = fields


class AskForReviewsSerializer(serializers.Serializer):
    officers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), min_length=1, max_length=20
    )


class ConflictDeclarationSerializer(serializers.ModelSerializer):
    officer = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = ConflictDeclaration
        fields = ["officer", "has_conflict", "explanation", "declared_at"]
        read_only_fields = ["officer", "declared_at"]
        extra_kwargs = {"explanation": {"required": False, "allow_blank": True, "max_length": 2000}}


class MyDeclarationSerializer(serializers.Serializer):
    """The caller's declaration on the file: `declared` false (and the rest null) before it."""

    declared = serializers.BooleanField(read_only=True)
    has_conflict = serializers.BooleanField(allow_null=True, read_only=True)
    explanation = serializers.CharField(read_only=True)
    declared_at = serializers.DateTimeField(allow_null=True, read_only=True)


def _officers(ids) -> list[User]:
    found = {user.pk: user for user in User.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found] if len(found) == len(set(ids)) else []


class InstructionViewSetMixin:
    """The viewset's `get_queryset()` must be scoped to the caller: a file outside it answers 404."""

    def _instructed_file(self, request):
        file = self.get_object()
        prefetch_related_objects([file], "conflict_declarations")
        require(is_officer(file, request.user), file=file)
        return file

    @extend_schema(
        methods=["GET"],
        responses=AssignmentSerializer(allow_null=True),
        summary="Who the file is assigned to",
    )
    @extend_schema(
        methods=["POST"],
        request=AssignSerializer,
        responses=AssignmentSerializer(allow_null=True),
        summary="Assign the file to an officer of its administration (null: unassign)",
    )
    @action(
        detail=True, methods=["get", "post"], url_path="assignment", pagination_class=None, filter_backends=[]
    )
    def assignment(self, request, pk=None):
        file = self._instructed_file(request)
        if request.method == "POST":
            incoming = AssignSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            wanted = incoming.validated_data["officer"]
            officer = None
            if wanted is not None:
                officer = User.objects.filter(pk=wanted).first()
                if officer is None:
                    raise serializers.ValidationError(
                        {"officer": [instruction._officer_error("officer").messages[0]]}
                    )
            instruction.assign(file=file, acting_user=request.user, officer=officer)
        current = (
            Assignment.objects.filter(content_type=ContentType.objects.get_for_model(file), object_id=file.pk)
            .select_related("officer", "assigned_by")
            .first()
        )
        return Response(_assignment_data(current))

    @extend_schema(
        methods=["GET"], responses=RequestedReviewSerializer(many=True), summary="Whom reviews were asked of"
    )
    @extend_schema(
        methods=["POST"],
        request=AskForReviewsSerializer,
        responses={201: RequestedReviewSerializer(many=True)},
        summary="Ask officers of the file's administration to review it (approvers)",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="review-requests",
        pagination_class=None,
        filter_backends=[],
    )
    def review_requests(self, request, pk=None):
        file = self._instructed_file(request)
        answer = status.HTTP_200_OK
        if request.method == "POST":
            incoming = AskForReviewsSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            officers = _officers(incoming.validated_data["officers"])
            if not officers:
                raise serializers.ValidationError(
                    {"officers": [instruction._officer_error("officers").messages[0]]}
                )
            instruction.request_reviews(file=file, acting_user=request.user, officers=officers)
            answer = status.HTTP_201_CREATED
        requests = ReviewRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(file), object_id=file.pk
        ).select_related("officer", "requested_by")
        return Response(RequestedReviewSerializer(requests, many=True).data, status=answer)

    @extend_schema(
        methods=["GET"],
        responses=MyDeclarationSerializer,
        summary="The caller's conflict-of-interest declaration on this file",
    )
    @extend_schema(
        methods=["POST"],
        request=ConflictDeclarationSerializer,
        responses={201: ConflictDeclarationSerializer},
        summary="Declare, once, whether the caller has a conflict of interest with the file's organisations",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="conflict-declaration",
        pagination_class=None,
        filter_backends=[],
    )
    def conflict_declaration(self, request, pk=None):
        file = self._instructed_file(request)
        if request.method == "POST":
            incoming = ConflictDeclarationSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            declaration = instruction.declare_conflict(
                file=file,
                acting_user=request.user,
                has_conflict=incoming.validated_data["has_conflict"],
                explanation=incoming.validated_data.get("explanation", ""),
            )
            return Response(ConflictDeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)
        mine = instruction.declaration_of(file, request.user)
        return Response(
            MyDeclarationSerializer(
                {
                    "declared": mine is not None,
                    "has_conflict": mine.has_conflict if mine else None,
                    "explanation": mine.explanation if mine else "",
                    "declared_at": mine.declared_at if mine else None,
                }
            ).data
        )
