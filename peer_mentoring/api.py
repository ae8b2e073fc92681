"""REST endpoints of peer mentoring (SPEC §6, §7): the mentor directory and profiles, applications
for mentor status, agreements and monthly hours declarations (with their lines, drafts saved as you
go), each file with the shared `transitions/` and `history/`.

Thin on purpose: serializers parse, one service or selector does the work, the answer is rendered.
Refusals come from the services (400 field errors, 403, 409) through `core.api.exception_handler`.
"""

from django.db.models import Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import JointCommittee
from accounts.selectors import administration_ids_where, membership_roles_by_organisation
from core.api import LETTER_RESPONSES, ErrorSerializer, WorkflowViewSetMixin
from core.changes_api import ChangesViewSetMixin
from core.instruction_api import InstructionViewSetMixin
from core.message_api import MessagesViewSetMixin
from core.parsers import JSONParser
from core.pdf import pdf_response
from core.permissions import require
from core.renderers import PDFRenderer

from . import permissions, services
from .directory import Project, ranked_mentors, reasons
from .models import DeclarationLine, Expertise, Mentor, MentorApplication
from .selectors import agreements_visible_to, declarations_visible_to, with_hours_used
from .serializers import (
    AgreementFilter,
    AgreementSerializer,
    AgreementUpdateSerializer,
    DeclarationFilter,
    DeclarationLinesSerializer,
    DeclarationSerializer,
    DirectoryQuerySerializer,
    MentorApplicationDecisionSerializer,
    MentorApplicationSerializer,
    MentorApplicationUploadSerializer,
    MentorSerializer,
    RankedMentorSerializer,
    ReasonSerializer,
)
from .states import MentorState

ERRORS_400_403 = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
    403: OpenApiResponse(ErrorSerializer, description="Not permitted"),
}

# -- mentors -----------------------------------------------------------------------------------------


DIRECTORY_PARAMETERS = [
    OpenApiParameter(
        "types", OpenApiTypes.STR, many=True, description="Types of mutualisation of the project"
    ),
    OpenApiParameter("legal_form", OpenApiTypes.STR, description="Legal form of the initiative"),
    OpenApiParameter("joint_committee", OpenApiTypes.STR, description="Joint committee number, e.g. 329"),
    OpenApiParameter("language", OpenApiTypes.STR, description="Language of the mentoring (fr, nl, en, de)"),
    OpenApiParameter("q", OpenApiTypes.STR, description="Part of the mentor's name"),
    OpenApiParameter("available", OpenApiTypes.BOOL, description="Only mentors with hours left this month"),
]


class MentorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The directory of active mentors, ranked by how well they match the project described by the
    query parameters; each mentor's profile, edited by its members; suspension by officers."""

    queryset = Mentor.objects.none()
    serializer_class = MentorSerializer
    parser_classes = [JSONParser]
    filter_backends: list = []
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        visible = Q(state=MentorState.ACTIVE) | Q(
            organisation_id__in=list(membership_roles_by_organisation(user))
        )
        if administration_ids_where(user):
            visible = Q()
        return (
            Mentor.objects.filter(visible)
            .select_related("organisation")
            .prefetch_related(
                Prefetch("expertise", queryset=Expertise.objects.order_by("kind", "value")),
                Prefetch("joint_committees", queryset=JointCommittee.objects.order_by("number")),
            )
            .order_by("pk")
        )

    def get_serializer_class(self):
        return RankedMentorSerializer if self.action == "list" else MentorSerializer

    @extend_schema(parameters=DIRECTORY_PARAMETERS, summary="Mentors ranked by how well they match a project")
    def list(self, request, *args, **kwargs):
        query = DirectoryQuerySerializer(
            data={**request.query_params.dict(), "types": request.query_params.getlist("types")}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        project = Project(
            types=data.get("types", []),
            legal_form=data.get("legal_form", ""),
            joint_committee=data.get("joint_committee", ""),
            language=data.get("language", ""),
        )
        mentors = ranked_mentors(project, filters={"q": data.get("q"), "available": data.get("available")})
        page = self.paginate_queryset(mentors)
        for mentor in page:
            mentor.reasons = reasons(mentor, project)
        return self.get_paginated_response(RankedMentorSerializer(page, many=True).data)

    @extend_schema(
        responses={200: MentorSerializer, **ERRORS_400_403}, summary="Change the mentor profile (its members)"
    )
    def partial_update(self, request, *args, **kwargs):
        mentor = self.get_object()
        require(permissions.may_edit_profile(mentor, request.user))
        serializer = MentorSerializer(mentor, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_profile(mentor=mentor, acting_user=request.user, data=serializer.validated_data)
        return Response(MentorSerializer(self.get_object()).data)

    def update(self, request, *args, **kwargs):  # PATCH only (a profile is never replaced whole)
        return self.partial_update(request, *args, **kwargs)

    def _set_state(self, request, state):
        mentor = self.get_object()
        require(permissions.may_manage_mentors(request.user))
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        services.set_mentor_state(
            mentor=mentor, state=state, acting_user=request.user, reason=reason.validated_data["reason"]
        )
        return Response(MentorSerializer(self.get_object()).data)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: MentorSerializer, **ERRORS_400_403},
        summary="Suspend a mentor status (officers)",
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._set_state(request, MentorState.SUSPENDED)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: MentorSerializer, **ERRORS_400_403},
        summary="Restore a suspended mentor status (officers)",
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._set_state(request, MentorState.ACTIVE)


class MentorApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Applications for mentor status: by an organisation's members (with the evidence of a
    completed mutualisation), decided by an officer of its administration."""

    queryset = MentorApplication.objects.none()
    serializer_class = MentorApplicationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        return (
            MentorApplication.objects.filter(
                Q(organisation_id__in=list(membership_roles_by_organisation(user)))
                | Q(administration_id__in=administration_ids_where(user))
            )
            .select_related("administration")
            .order_by("-submitted_at", "-pk")
        )

    @extend_schema(
        request={
            "application/json": MentorApplicationSerializer,
            "multipart/form-data": MentorApplicationUploadSerializer,
        },
        responses={201: MentorApplicationSerializer, **ERRORS_400_403},
        summary="Apply for mentor status (multipart: with `uploads`, the documents that show it)",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.apply_for_mentor_status(
            organisation=serializer.validated_data["organisation"],
            acting_user=request.user,
            evidence=serializer.validated_data["evidence"],
            administration=serializer.validated_data.get("administration"),
            documents=request.FILES.getlist("uploads") if hasattr(request, "FILES") else [],
        )
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MentorApplicationDecisionSerializer,
        responses={
            200: MentorApplicationSerializer,
            **ERRORS_400_403,
            409: OpenApiResponse(ErrorSerializer, description="Already decided"),
        },
        summary="Approve or refuse (with a reason) an application (officers)",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        application = self.get_object()
        require(permissions.may_decide_application(application, request.user))
        decision = MentorApplicationDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        application = services.decide_mentor_application(
            application=application,
            acting_user=request.user,
            approve=decision.validated_data["approve"],
            reason=decision.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(application).data)


# -- agreements --------------------------------------------------------------------------------------


class AgreementViewSet(
    WorkflowViewSetMixin,
    MessagesViewSetMixin,
    InstructionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Mentoring agreements the caller may see (404 outside): the mentor's and the mentee's members,
    staff of the mentee's administration once both sides agreed. Drafts are edited by either side."""

    queryset = AgreementSerializer.Meta.model.objects.none()
    serializer_class = AgreementSerializer
    parser_classes = [JSONParser]
    filterset_class = AgreementFilter
    ordering_fields = ["created_at", "reference", "state", "starts_on"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        agreements = agreements_visible_to(self.request.user).select_related(
            "mentor", "mentee", "administration"
        )
        if self.action in {"transitions", "history", "perform_transition"}:
            return agreements
        return with_hours_used(agreements)

    def get_serializer_class(self):
        if self.action in {"partial_update", "update"}:
            return AgreementUpdateSerializer
        return AgreementSerializer

    def reloaded(self, agreement):
        return (
            with_hours_used(agreements_visible_to(self.request.user))
            .select_related("mentor", "mentee", "administration")
            .get(pk=agreement.pk)
        )

    @extend_schema(responses={201: AgreementSerializer, **ERRORS_400_403}, summary="Start a draft agreement")
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = serializer.save()
        return Response(AgreementSerializer(self.reloaded(agreement)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            200: AgreementSerializer,
            **ERRORS_400_403,
            409: OpenApiResponse(ErrorSerializer, description="The agreement has been proposed already"),
        },
        summary="Change a draft agreement",
    )
    def partial_update(self, request, *args, **kwargs):
        agreement = self.get_object()
        require(permissions.may_edit_agreement(agreement, request.user))
        serializer = self.get_serializer(agreement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(AgreementSerializer(self.reloaded(agreement)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


# -- declarations ------------------------------------------------------------------------------------


class DeclarationViewSet(
    WorkflowViewSetMixin,
    ChangesViewSetMixin,
    MessagesViewSetMixin,
    InstructionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Monthly hours declarations with their lines: started and edited (draft or contested) by the
    mentor's members, confirmed or contested by the mentee's, validated by an approver."""

    queryset = DeclarationSerializer.Meta.model.objects.none()
    serializer_class = DeclarationSerializer
    parser_classes = [JSONParser]
    filterset_class = DeclarationFilter
    ordering_fields = ["month", "created_at", "reference", "state"]
    ordering = ["-month", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        declarations = declarations_visible_to(self.request.user).select_related(
            "administration", "agreement__mentor", "agreement__mentee"
        )
        if self.action in {"transitions", "history", "statement"}:
            return declarations
        return declarations.prefetch_related(
            Prefetch("lines", queryset=DeclarationLine.objects.order_by("date", "pk"))
        )

    def get_serializer_class(self):
        if self.action in {"partial_update", "update"}:
            return DeclarationLinesSerializer
        return DeclarationSerializer

    def reloaded(self, declaration):
        return self.get_queryset().get(pk=declaration.pk)

    @extend_schema(
        responses={201: DeclarationSerializer, **ERRORS_400_403},
        summary="Start the declaration of a month (its lines optional: drafts are saved as you go)",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        declaration = serializer.save()
        return Response(
            DeclarationSerializer(self.reloaded(declaration)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=DeclarationLinesSerializer,
        responses={
            200: DeclarationSerializer,
            **ERRORS_400_403,
            409: OpenApiResponse(ErrorSerializer, description="The declaration can no longer be changed"),
        },
        summary="Save the lines typed so far (they replace the saved ones)",
    )
    def partial_update(self, request, *args, **kwargs):
        declaration = self.get_object()
        require(permissions.may_edit_declaration(declaration, request.user))
        serializer = DeclarationLinesSerializer(
            declaration, data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(DeclarationSerializer(self.reloaded(declaration)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The compensation statement, in the mentor's language"
            ),
            **LETTER_RESPONSES,
            409: OpenApiResponse(ErrorSerializer, description="The declaration has not been validated"),
        },
        summary="The compensation statement of a validated declaration (PDF)",
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[PDFRenderer],
    )
    def statement(self, request, pk=None):
        from .pdf import compensation_statement_pdf

        declaration = self.get_object()
        require(permissions.may_get_statement(declaration, request.user))
        filename = f"{declaration.reference or declaration.pk}-statement.pdf".replace("/", "-")
        return pdf_response(lambda: compensation_statement_pdf(declaration), filename)
