"""REST endpoints of the shared app: the inbox and payment orders."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Administration, StaffRole
from accounts.selectors import has_staff_role, is_staff_member

from .api import ErrorSerializer, WorkflowViewSetMixin
from .api_filters import PaymentOrderFilterSet
from .dashboards import dashboard, section_data
from .exceptions import InvalidInput, NotPermitted
from .models import Notification, PaymentOrder, SepaBatch
from .pagination import CountedPagination
from .payments import payment_orders_visible_to
from .renderers import XMLFileRenderer
from .search import COUNT_CAP, search_count, search_files
from .search import describe as describe_results
from .sepa import SCHEMA, download_batch, export_payment_orders, sepa_batches_visible_to
from .serializers import NotificationSerializer, PaymentOrderSerializer, SepaBatchSerializer
from .todo import describe as describe_tasks
from .todo import task_rows


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
    filterset_class = PaymentOrderFilterSet
    ordering_fields = ["created_at", "amount", "due_date"]

    def get_queryset(self):
        return payment_orders_visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "administration",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description="Code of the administration whose payments leave (`cocof`, `iriscare`).",
            )
        ],
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=f"SEPA credit transfer file ({SCHEMA}), as an attachment "
                "`pain001-<code>-<date>.xml`. The exported orders get `exported_at`.",
            ),
            400: OpenApiResponse(
                ErrorSerializer,
                description="Administration missing or unknown, no IBAN/BIC, or nothing to export",
            ),
            403: OpenApiResponse(ErrorSerializer, description="Not finance staff of the administration"),
        },
        summary="Export approved payment orders as a SEPA credit transfer file (pain.001)",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="export",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[XMLFileRenderer],
    )
    def export(self, request):
        """Approved, not yet exported outgoing orders of one administration; finance staff only."""
        code = (request.query_params.get("administration") or "").strip()
        if not code:
            message = _("Choose the administration whose payments to export.")
            raise InvalidInput(message, errors={"administration": [message]})
        administration = Administration.objects.filter(code=code).first()
        if administration is None:
            message = _("Unknown administration: %(code)s.") % {"code": code}
            raise InvalidInput(message, errors={"administration": [message]})
        if not has_staff_role(request.user, administration.pk, StaffRole.Role.FINANCE):
            raise NotPermitted(_("Only finance staff of the administration may export its payments."))
        export = export_payment_orders(administration=administration, acting_user=request.user)
        return HttpResponse(
            export.xml,
            content_type="application/xml",
            headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
        )


class SepaBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The SEPA files already exported, for finance staff of their administration; each downloads
    again byte for byte as it was first exported (and the download is recorded)."""

    queryset = SepaBatch.objects.none()
    serializer_class = SepaBatchSerializer
    filter_backends = []

    def get_queryset(self):
        return sepa_batches_visible_to(self.request.user).select_related("administration", "created_by")

    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=f"The batch's SEPA file ({SCHEMA}), exactly as first exported",
            )
        },
        summary="Download an exported SEPA file again",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="download",
        pagination_class=None,
        renderer_classes=[XMLFileRenderer],
    )
    def download(self, request, pk=None):
        batch = SepaBatch.objects.get(pk=self.get_object().pk)  # with its content, deferred in lists
        return HttpResponse(
            download_batch(batch=batch, acting_user=request.user),
            content_type="application/xml",
            headers={"Content-Disposition": f'attachment; filename="{batch.filename}"'},
        )


class SearchResultSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    title = serializers.CharField()
    administration = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text="The file's web page")


class SearchViewSet(viewsets.GenericViewSet):
    """Officers and approvers: the files of their administrations matching `q`, best first."""

    serializer_class = SearchResultSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description="Reference, enterprise number, organisation name, title or words of the description",
            )
        ],
        responses=SearchResultSerializer(many=True),
        summary="Search the files of the caller's administrations",
        description=f"The newest files first. `count` stops at {COUNT_CAP}: more matches are not counted.",
    )
    def list(self, request):
        if not is_staff_member(request.user):
            raise NotPermitted(_("Only staff of an administration search its files."))
        text = (request.query_params.get("q") or "").strip()
        if not text:
            message = _("Type what to search for.")
            raise InvalidInput(message, errors={"q": [message]})
        if search_files(request.user, text) is None:
            page = self.paginate_queryset([])
        else:
            self._paginator = CountedPagination(search_count(request.user, text))
            upto = self.paginator.requested_page(request) * self.paginator.page_size
            page = self.paginate_queryset(search_files(request.user, text, upto=upto))
        return self.get_paginated_response(SearchResultSerializer(describe_results(page), many=True).data)


class TaskSerializer(serializers.Serializer):
    task = serializers.CharField(
        help_text="What to do, as a code (e.g. answer, accept_award, decide, approve_payment)"
    )
    label = serializers.CharField(help_text="What to do, in the caller's language")
    scheme = serializers.CharField(help_text="The scheme's code, or payments")
    id = serializers.IntegerField(source="pk", help_text="The file's (or the payment order's) id")
    reference = serializers.CharField(allow_null=True, help_text="Null for a draft")
    subject = serializers.CharField()
    deadline = serializers.DateField(source="due", allow_null=True)
    overdue = serializers.BooleanField()
    url = serializers.CharField(help_text="The web page where the task is done")


class TaskViewSet(viewsets.GenericViewSet):
    """What the caller must do next, across every scheme, the soonest deadline first: answers,
    acceptances, reports, confirmations, declarations, assigned files, reviews, decisions and
    payment approvals."""

    serializer_class = TaskSerializer
    filter_backends = []

    @extend_schema(responses=TaskSerializer(many=True), summary="The caller's tasks")
    def list(self, request):
        rows = task_rows(request.user)
        page = self.paginate_queryset(rows if rows is not None else [])
        return self.get_paginated_response(TaskSerializer(describe_tasks(page), many=True).data)


class DashboardColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "number", "money", "days"])


class DashboardSectionSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="e.g. grant_envelopes, guarantee_exposure, mentoring_months, states_<file type>"
    )
    title = serializers.CharField()
    note = serializers.CharField(help_text="How the figures are computed")
    as_of = serializers.DateTimeField(help_text="When the figures were computed")
    columns = DashboardColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(allow_null=True),
        help_text="One object per row, keyed by the columns' keys; amounts as decimal strings, days as decimals",
    )


class DashboardViewSet(viewsets.GenericViewSet):
    """The staff's dashboards: the figures of the web page's charts and tables, section by section,
    for the caller's administrations. 403 to anyone without a staff role."""

    serializer_class = DashboardSectionSerializer
    filter_backends = []
    pagination_class = None

    @extend_schema(
        responses={
            200: DashboardSectionSerializer(many=True),
            403: OpenApiResponse(ErrorSerializer, description="Not a member of an administration's staff"),
        },
        summary="The dashboards' figures",
    )
    def list(self, request):
        if not is_staff_member(request.user):
            raise NotPermitted(_("Only staff of an administration see its dashboards."))
        return Response([section_data(section) for section in dashboard(request.user)])
