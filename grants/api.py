"""REST endpoints of the grants scheme (SPEC §4, §7): calls with their envelopes; applications with
their budget, partners, workflow and documents; reviews, reports and the PDF letters.

Thin on purpose: serializers parse, one service or selector does the work, the answer is rendered.
Refusals come from the services (400 field errors, 403, 409) through `core.api.exception_handler`.
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation
from core.api import LETTER_RESPONSES, DocumentsViewSetMixin, ErrorSerializer, WorkflowViewSetMixin
from core.changes_api import ChangesViewSetMixin
from core.instruction_api import InstructionViewSetMixin
from core.message_api import MessagesViewSetMixin
from core.parsers import JSONParser
from core.pdf import pdf_response
from core.permissions import require
from core.renderers import PDFRenderer

from . import permissions, services
from .models import Call, GrantApplication, JustifiedExpense
from .pdf import award_letter_pdf, receipt_pdf
from .selectors import applications_visible_to, envelopes_with_budget, review_averages, with_list_columns
from .serializers import (
    CallFilter,
    CallSerializer,
    GrantApplicationFilter,
    GrantApplicationListSerializer,
    GrantApplicationSerializer,
    GrantApplicationUpdateSerializer,
    ReportSerializer,
    ReviewSerializer,
    ReviewSummarySerializer,
    sees_budget_figures,
)

# -- calls -------------------------------------------------------------------------------------------


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for applications; administration staff also see each envelope's budget."""

    queryset = Call.objects.none()
    serializer_class = CallSerializer
    filterset_class = CallFilter
    ordering_fields = ["opens_on", "closes_on"]
    ordering = ["-opens_on", "-id"]

    def get_queryset(self):
        calls = Call.objects.order_by("-opens_on", "-id")
        if sees_budget_figures(self.request.user):
            calls = calls.prefetch_related(
                Prefetch("envelopes", queryset=envelopes_with_budget(), to_attr="envelopes_with_budget")
            )
        return calls


# -- applications ------------------------------------------------------------------------------------


# -- reviews -----------------------------------------------------------------------------------------


# -- reports -----------------------------------------------------------------------------------------


class GrantApplicationViewSet(
    WorkflowViewSetMixin,
    ChangesViewSetMixin,
    DocumentsViewSetMixin,
    MessagesViewSetMixin,
    InstructionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Grant applications the caller may see (404 outside); drafts are edited by the lead's members.

    Transitions, history and documents come from the shared mixins."""

    queryset = GrantApplication.objects.none()
    serializer_class = GrantApplicationSerializer
    parser_classes = [JSONParser]  # nested budget lines; documents/ takes multipart uploads
    filterset_class = GrantApplicationFilter
    ordering_fields = ["created_at", "reference", "requested_amount", "state"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        applications = applications_visible_to(self.request.user)
        if self.action == "list":
            return with_list_columns(applications)
        applications = applications.select_related("call", "lead_organisation", "administration")
        if self.action in {
            "transitions",
            "history",
            "documents",
            "download_document",
            "receipt",
            "award_letter",
        }:
            return applications
        return applications.prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("enterprise_number")), "budget_lines"
        )

    def get_serializer_class(self):
        if self.action == "list":
            return GrantApplicationListSerializer
        if self.action == "partial_update":
            return GrantApplicationUpdateSerializer
        return GrantApplicationSerializer

    def reloaded(self, application: GrantApplication) -> GrantApplication:
        return self.get_queryset().get(pk=application.pk)

    @extend_schema(
        responses={
            201: GrantApplicationSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
            403: OpenApiResponse(ErrorSerializer, description="Not a member of the lead organisation"),
        },
        summary="Create a draft application",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = serializer.save()
        return Response(self.get_serializer(self.reloaded(application)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            200: GrantApplicationUpdateSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
            403: OpenApiResponse(ErrorSerializer, description="Not a member of the lead organisation"),
            409: OpenApiResponse(ErrorSerializer, description="The application can no longer be changed"),
        },
        summary="Change a draft (or a file awaiting information)",
    )
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        # Asked before the input is read, so a refused caller never sees field errors.
        require(permissions.may_edit(application, request.user))
        serializer = self.get_serializer(application, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(self.get_serializer(self.reloaded(application)).data)

    # -- reviews --------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses={
            200: ReviewSummarySerializer,
            403: OpenApiResponse(ErrorSerializer, description="Not staff of the file's administration"),
        },
        summary="The reviews and their averages (staff of the file's administration)",
    )
    @extend_schema(
        methods=["POST"],
        request=ReviewSerializer,
        responses={
            201: ReviewSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid scores, with field errors"),
            403: OpenApiResponse(ErrorSerializer, description="Not an officer of the file's administration"),
            409: OpenApiResponse(ErrorSerializer, description="The application is not under review"),
        },
        summary="Record the caller's review (a second one replaces the first)",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def reviews(self, request, pk=None):
        application = self.get_object()
        if request.method == "POST":
            require(permissions.may_record_review(application, request.user))
            serializer = ReviewSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            review = services.record_review(
                acting_user=request.user, application=application, data=serializer.validated_data
            )
            return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
        require(permissions.may_read_reviews(application, request.user))
        reviews = application.reviews.select_related("reviewer")
        return Response(
            {
                "count": len(reviews),
                "average": review_averages(application),
                "reviews": ReviewSerializer(reviews, many=True).data,
            }
        )

    # -- reports --------------------------------------------------------------------------------------

    @extend_schema(methods=["GET"], responses=ReportSerializer(many=True), summary="Activity reports")
    @extend_schema(
        methods=["POST"],
        request=ReportSerializer,
        responses={
            201: ReportSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
            403: OpenApiResponse(ErrorSerializer, description="Not a member of the lead organisation"),
            409: OpenApiResponse(ErrorSerializer, description="The grant is not in progress"),
        },
        summary="File an interim report, or the final report with its justified expenses",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def reports(self, request, pk=None):
        application = self.get_object()
        if request.method == "POST":
            require(permissions.may_file_report(application, request.user))
            serializer = ReportSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            report = services.file_report(
                acting_user=request.user,
                application=application,
                kind=data["kind"],
                activities=data["activities"],
                results=data.get("results", ""),
                expenses={e["budget_line_id"]: e["amount"] for e in data.get("expenses", [])},
            )
            return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
        reports = application.reports.select_related("submitted_by").prefetch_related(
            Prefetch("expenses", queryset=JustifiedExpense.objects.order_by("budget_line_id"))
        )
        return Response(ReportSerializer(reports, many=True).data)

    # -- letters --------------------------------------------------------------------------------------

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The acknowledgement of receipt, in the lead's language"
            ),
            **LETTER_RESPONSES,
        },
        summary="The submission receipt (PDF)",
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[PDFRenderer],
    )
    def receipt(self, request, pk=None):
        application = self.get_object()
        require(permissions.may_get_receipt(application, request.user))
        return pdf_response(lambda: receipt_pdf(application), f"{application.reference}-receipt.pdf")

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The award decision, in the lead's language"
            ),
            **LETTER_RESPONSES,
        },
        summary="The award decision letter (PDF)",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="award-letter",
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[PDFRenderer],
    )
    def award_letter(self, request, pk=None):
        application = self.get_object()
        require(permissions.may_get_award_letter(application, request.user))
        return pdf_response(lambda: award_letter_pdf(application), f"{application.reference}-award.pdf")
