"""REST endpoints of the guarantee scheme (SPEC §5, §7): requests with their drafts, workflow and
documents; the risk review, the schedule, lender declarations (one by one or by CSV upload),
recoveries, the offer letter and the certificate; the portfolio.

Thin on purpose: serializers parse, one service or selector does the work, the answer is rendered.
Refusals come from the services (400 field errors, 403, 409) through `core.api.exception_handler`.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import is_staff_member
from core.api import LETTER_RESPONSES, DocumentsViewSetMixin, ErrorSerializer, WorkflowViewSetMixin
from core.changes_api import ChangesViewSetMixin
from core.exceptions import NotPermitted
from core.instruction_api import InstructionViewSetMixin
from core.message_api import MessagesViewSetMixin
from core.parsers import JSONParser
from core.pdf import pdf_response
from core.permissions import require
from core.renderers import BinaryRenderer, PDFRenderer

from . import permissions, selectors, services
from .models import GuaranteeRequest
from .pdf import certificate_pdf, offer_letter_pdf
from .serializers import (
    DeclarationSerializer,
    DeclarationUploadResultSerializer,
    DeclarationUploadSerializer,
    GuaranteeRequestFilter,
    GuaranteeRequestListSerializer,
    GuaranteeRequestSerializer,
    GuaranteeRequestUpdateSerializer,
    PortfolioSerializer,
    RecoverySerializer,
    RiskReviewSerializer,
    ScheduleSerializer,
    StressQuerySerializer,
)
from .uploads import lender_loans, template_csv, upload_declarations

DETAIL = {"detail": True, "pagination_class": None, "filter_backends": []}


class CSVRenderer(BinaryRenderer):
    media_type = "text/csv"
    format = "csv"


class GuaranteeRequestViewSet(
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
    """Guarantee requests the caller may see (404 outside): the borrower's members, the lender's
    members and the staff of the borrower's administration. Transitions, history and documents come
    from the shared mixins."""

    queryset = GuaranteeRequest.objects.none()
    serializer_class = GuaranteeRequestSerializer
    parser_classes = [JSONParser]
    filterset_class = GuaranteeRequestFilter
    ordering_fields = ["created_at", "reference", "loan_amount", "state", "deadline"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        requests = selectors.requests_visible_to(self.request.user)
        if self.action == "list":
            return selectors.with_list_columns(requests)
        return requests.select_related(
            "borrower", "lender", "administration", "risk_reviewed_by", "parameters"
        )

    def get_serializer_class(self):
        if self.action == "list":
            return GuaranteeRequestListSerializer
        if self.action == "partial_update":
            return GuaranteeRequestUpdateSerializer
        return GuaranteeRequestSerializer

    def reloaded(self, request_: GuaranteeRequest) -> GuaranteeRequest:
        return self.get_queryset().get(pk=request_.pk)

    @extend_schema(
        responses={
            201: GuaranteeRequestSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
            403: OpenApiResponse(ErrorSerializer, description="Not a member of the borrowing organisation"),
        },
        summary="Create a draft guarantee request",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = serializer.save()
        return Response(self.get_serializer(self.reloaded(created)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            200: GuaranteeRequestUpdateSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
            409: OpenApiResponse(ErrorSerializer, description="The request can no longer be changed"),
        },
        summary="Change a draft (or a request awaiting information); saved as you go",
    )
    def partial_update(self, request, *args, **kwargs):
        guarantee = self.get_object()
        require(permissions.may_edit(guarantee, request.user))
        serializer = self.get_serializer(guarantee, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(self.get_serializer(self.reloaded(guarantee)).data)

    # -- risk review ------------------------------------------------------------------------------

    @extend_schema(
        request=RiskReviewSerializer,
        responses={
            200: RiskReviewSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The request is not under review"),
        },
        summary="Record the risk review (rating A–E, justification, recommendation)",
    )
    @action(methods=["post"], url_path="risk-review", **DETAIL)
    def risk_review(self, request, pk=None):
        guarantee = self.get_object()
        require(permissions.may_record_risk_review(guarantee, request.user))
        serializer = RiskReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = services.record_risk_review(
            acting_user=request.user, request=guarantee, **serializer.validated_data
        )
        return Response(
            {
                "rating": saved.risk_rating,
                "justification": saved.risk_justification,
                "recommendation": saved.recommendation,
                "reviewed_by": request.user.email,
                "reviewed_at": saved.risk_reviewed_at,
            }
        )

    # -- schedule ---------------------------------------------------------------------------------

    @extend_schema(responses=ScheduleSerializer, summary="The amortisation schedule and the fee calendar")
    @action(methods=["get"], **DETAIL)
    def schedule(self, request, pk=None):
        guarantee = self.get_object()
        return Response(
            ScheduleSerializer(
                {"lines": guarantee.schedule_lines.all(), "fee_periods": guarantee.fee_periods.all()}
            ).data
        )

    # -- declarations -----------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"], responses=DeclarationSerializer(many=True), summary="The lender's declarations"
    )
    @extend_schema(
        methods=["POST"],
        request=DeclarationSerializer,
        responses={
            201: DeclarationSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The guarantee does not run"),
        },
        summary="Declare the outstanding balance and arrears (a second one for a quarter replaces it)",
    )
    @action(methods=["get", "post"], **DETAIL)
    def declarations(self, request, pk=None):
        guarantee = self.get_object()
        if request.method == "POST":
            require(permissions.may_declare(guarantee, request.user))
            serializer = DeclarationSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            declaration = services.declare(
                acting_user=request.user,
                request=guarantee,
                as_of=data["as_of"],
                outstanding_principal=data["outstanding_principal"],
                arrears_amount=data["arrears_amount"],
                arrears_days=data["arrears_days"],
            )
            return Response(DeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)
        return Response(
            DeclarationSerializer(guarantee.declarations.select_related("declared_by"), many=True).data
        )

    @extend_schema(
        request={"multipart/form-data": DeclarationUploadSerializer},
        responses={
            200: DeclarationUploadResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad rows, by line number; nothing applied"),
        },
        summary="Upload a quarter's declarations for all the caller's loans (CSV)",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="declarations-upload",
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def declarations_upload(self, request):
        serializer = DeclarationUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        content = serializer.validated_data["file"].read()
        outcome = upload_declarations(
            acting_user=request.user, quarter=serializer.validated_data["quarter"], content=content
        )
        return Response(DeclarationUploadResultSerializer(outcome).data)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The CSV template with the caller's running loans"
            )
        },
        summary="The declarations CSV template",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="declarations-template",
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[CSVRenderer],
    )
    def declarations_template(self, request):
        content = template_csv(sorted(lender_loans(request.user)))
        return HttpResponse(
            content.encode(),
            content_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="declarations.csv"'},
        )

    # -- recoveries -------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"], responses=RecoverySerializer(many=True), summary="Recoveries after the claim"
    )
    @extend_schema(
        methods=["POST"],
        request=RecoverySerializer,
        responses={
            201: RecoverySerializer,
            409: OpenApiResponse(ErrorSerializer, description="No claim has been paid"),
        },
        summary="Report an amount recovered (the fund's share is owed back)",
    )
    @action(methods=["get", "post"], **DETAIL)
    def recoveries(self, request, pk=None):
        guarantee = self.get_object()
        if request.method == "POST":
            require(permissions.may_report_recovery(guarantee, request.user))
            serializer = RecoverySerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            recovery = services.report_recovery(
                acting_user=request.user,
                request=guarantee,
                received_on=data["received_on"],
                amount=data["amount"],
                final=data.get("final", False),
            )
            return Response(RecoverySerializer(recovery).data, status=status.HTTP_201_CREATED)
        return Response(
            RecoverySerializer(guarantee.recoveries.select_related("reported_by"), many=True).data
        )

    # -- letters ----------------------------------------------------------------------------------

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The offer, in the borrower's language"
            ),
            **LETTER_RESPONSES,
        },
        summary="The guarantee offer letter (PDF)",
    )
    @action(methods=["get"], url_path="offer-letter", renderer_classes=[PDFRenderer], **DETAIL)
    def offer_letter(self, request, pk=None):
        guarantee = self.get_object()
        require(permissions.may_get_offer_letter(guarantee, request.user))
        return pdf_response(lambda: offer_letter_pdf(guarantee), f"{guarantee.reference}-offer.pdf")

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The certificate, in the borrower's language"
            ),
            **LETTER_RESPONSES,
        },
        summary="The guarantee certificate (PDF)",
    )
    @action(methods=["get"], renderer_classes=[PDFRenderer], **DETAIL)
    def certificate(self, request, pk=None):
        guarantee = self.get_object()
        require(permissions.may_get_certificate(guarantee, request.user))
        return pdf_response(lambda: certificate_pdf(guarantee), f"{guarantee.reference}-certificate.pdf")


def portfolio_data(user, default_rates: dict) -> dict:
    if not (user.is_superuser or is_staff_member(user)):
        raise NotPermitted(_("Only staff of the administrations see the guarantee portfolio."))
    tables = selectors.portfolio_tables()
    status = selectors.fund_status(exposure=selectors.total_exposure(tables))
    by_rating = tables["rating"]
    return {
        **status,
        "by_administration": tables["administration"],
        "by_rating": by_rating,
        "by_lender": tables["lender"],
        "by_status": tables["status"],
        "stress": selectors.stress_scenario(
            {**selectors.DEFAULT_STRESS_RATES, **default_rates}, by_rating_rows=by_rating, status=status
        ),
    }


class PortfolioView(APIView):
    """The fund's portfolio for staff: exposure, remaining capacity and use, by dimension, with a
    stress scenario whose default rates per rating are query parameters."""

    @extend_schema(
        parameters=[
            OpenApiParameter(rating, OpenApiTypes.DECIMAL, description=f"Default rate (%) of rating {rating}")
            for rating in "ABCDE"
        ],
        responses={200: PortfolioSerializer},
        summary="The guarantee portfolio and its stress scenario",
    )
    def get(self, request):
        query = StressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(PortfolioSerializer(portfolio_data(request.user, dict(query.validated_data))).data)
