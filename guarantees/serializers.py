"""Serializers and filters of the guarantees API (parsing only: the rules live in the services)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import Organisation
from accounts.selectors import has_staff_role
from core.api_filters import IdFilter
from grants.models import GrantApplication

from . import rules, services
from .choices import FeeFrequency, Rating, Recommendation
from .models import FeePeriod, GuaranteeRequest, LenderDeclaration, Recovery, ScheduleLine
from .states import EDITABLE_STATES, State

MONEY = {"max_digits": 14, "decimal_places": 2}


class RiskReviewSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    justification = serializers.CharField(max_length=5000)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    reviewed_by = serializers.CharField(read_only=True)
    reviewed_at = serializers.DateTimeField(read_only=True)


class GuaranteeCompletenessItemSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class GuaranteeRequestListSerializer(serializers.ModelSerializer):
    borrower_name = serializers.CharField(source="borrower.name", read_only=True)
    lender_name = serializers.CharField(source="lender.name", read_only=True, allow_null=True, default=None)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    risk_rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)

    class Meta:
        model = GuaranteeRequest
        fields = [
            "id",
            "reference",
            "state",
            "borrower",
            "borrower_name",
            "lender",
            "lender_name",
            "administration",
            "loan_amount",
            "duration_months",
            "repayment_profile",
            "requested_coverage",
            "coverage",
            "guaranteed_amount",
            "risk_rating",
            "deadline",
            "created_at",
        ]
        read_only_fields = fields


class GuaranteeRequestSerializer(serializers.ModelSerializer):
    """A guarantee request; drafts are created and changed through `guarantees.services`."""

    borrower = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="Id of the borrowing organisation."
    )
    borrower_name = serializers.CharField(source="borrower.name", read_only=True)
    lender = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the lending financial institution.",
    )
    lender_name = serializers.CharField(source="lender.name", read_only=True, allow_null=True, default=None)
    lender_bic = serializers.CharField(source="lender.bic", read_only=True, allow_null=True, default=None)
    grant = serializers.PrimaryKeyRelatedField(
        queryset=GrantApplication.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of one of the borrower's mutualisation grants, when the loan serves it.",
    )
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    fee_frequency = serializers.ChoiceField(choices=FeeFrequency.choices, allow_blank=True, read_only=True)
    risk_review = serializers.SerializerMethodField(
        help_text="The officers' risk review (staff of the file's administration only)."
    )
    completeness = serializers.SerializerMethodField(
        help_text="What is still missing or beyond the scheme's limits before submission (drafts and files "
        "awaiting information); null in other states."
    )

    class Meta:
        model = GuaranteeRequest
        fields = [
            "id",
            "reference",
            "state",
            "borrower",
            "borrower_name",
            "lender",
            "lender_name",
            "lender_bic",
            "administration",
            "purpose",
            "grant",
            "loan_amount",
            "duration_months",
            "interest_rate",
            "repayment_profile",
            "requested_coverage",
            "collateral",
            "risk_review",
            "coverage",
            "guaranteed_amount",
            "fee_rate",
            "fee_frequency",
            "aid_equivalent",
            "offer_expires_on",
            "offered_at",
            "disbursed_on",
            "disbursed_amount",
            "maturity_date",
            "default_date",
            "default_outstanding",
            "arrears_amount",
            "arrears_days",
            "claim_amount",
            "claim_paid_at",
            "eligibility_snapshot",
            "submitted_at",
            "deadline",
            "created_at",
            "updated_at",
            "completeness",
        ]
        read_only_fields = [
            "reference",
            "state",
            "coverage",
            "guaranteed_amount",
            "fee_rate",
            "fee_frequency",
            "aid_equivalent",
            "offer_expires_on",
            "offered_at",
            "disbursed_on",
            "disbursed_amount",
            "maturity_date",
            "default_date",
            "default_outstanding",
            "arrears_amount",
            "arrears_days",
            "claim_amount",
            "claim_paid_at",
            "eligibility_snapshot",
            "submitted_at",
            "deadline",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"repayment_profile": {"required": False}, "purpose": {"required": False}}

    @extend_schema_field(RiskReviewSerializer(allow_null=True))
    def get_risk_review(self, request) -> dict | None:
        user = self.context["request"].user
        if not request.risk_rating or not has_staff_role(user, request.administration_id):
            return None
        return {
            "rating": request.risk_rating,
            "justification": request.risk_justification,
            "recommendation": request.recommendation,
            "reviewed_by": request.risk_reviewed_by.email if request.risk_reviewed_by_id else "",
            "reviewed_at": request.risk_reviewed_at,
        }

    @extend_schema_field(GuaranteeCompletenessItemSerializer(many=True, allow_null=True))
    def get_completeness(self, request) -> list | None:
        if request.state not in EDITABLE_STATES:
            return None
        return [
            {"field": field, "message": str(message)}
            for field, messages in rules.completeness_errors(request).items()
            for message, _code in messages
        ]

    def create(self, validated_data):
        borrower = validated_data.pop("borrower")
        return services.create_draft(
            acting_user=self.context["request"].user, borrower=borrower, data=validated_data
        )

    def update(self, request, validated_data):
        validated_data.pop("borrower", None)
        return services.update_draft(
            acting_user=self.context["request"].user, request=request, data=validated_data
        )


class GuaranteeRequestUpdateSerializer(GuaranteeRequestSerializer):
    """A draft keeps its borrower."""

    class Meta(GuaranteeRequestSerializer.Meta):
        read_only_fields = [*GuaranteeRequestSerializer.Meta.read_only_fields, "borrower"]


class GuaranteeRequestFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=State.choices)
    administration = filters.CharFilter(
        field_name="administration__code", label=gettext_lazy("Administration code (cocof, iriscare)")
    )
    borrower = IdFilter(field_name="borrower_id", label=gettext_lazy("Borrower id"))
    lender = IdFilter(field_name="lender_id", label=gettext_lazy("Lender id"))
    risk_rating = filters.ChoiceFilter(choices=Rating.choices)
    created = filters.DateFromToRangeFilter(field_name="created_at", label=gettext_lazy("Date of creation"))

    class Meta:
        model = GuaranteeRequest
        fields = ["state", "administration", "borrower", "lender", "risk_rating"]


class ScheduleLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleLine
        fields = ["number", "due_date", "principal", "interest", "outstanding_after"]
        read_only_fields = fields


class FeePeriodSerializer(serializers.ModelSerializer):
    payment_order = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = FeePeriod
        fields = ["starts_on", "ends_on", "amount", "billed_at", "payment_order"]
        read_only_fields = fields


class ScheduleSerializer(serializers.Serializer):
    lines = ScheduleLineSerializer(many=True)
    fee_periods = FeePeriodSerializer(many=True)


@extend_schema_serializer(component_name="LenderDeclaration")
class DeclarationSerializer(serializers.ModelSerializer):
    declared_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    outstanding_principal = serializers.DecimalField(**MONEY, min_value=0)
    arrears_amount = serializers.DecimalField(**MONEY, min_value=0, required=False, default=Decimal("0.00"))
    arrears_days = serializers.IntegerField(min_value=0, max_value=36500, required=False, default=0)

    class Meta:
        model = LenderDeclaration
        fields = [
            "id",
            "quarter",
            "as_of",
            "outstanding_principal",
            "arrears_amount",
            "arrears_days",
            "declared_by",
            "declared_at",
        ]
        read_only_fields = ["id", "quarter", "declared_by", "declared_at"]


class DeclarationUploadSerializer(serializers.Serializer):
    quarter = serializers.DateField(help_text="Any day of the quarter declared (its first day is kept).")
    file = serializers.FileField(
        help_text="CSV: reference, as_of, outstanding_principal, arrears_amount, arrears_days."
    )


class DeclarationUploadResultSerializer(serializers.Serializer):
    quarter = serializers.DateField()
    quarter_ends = serializers.DateField()
    applied = serializers.IntegerField()
    replaced = serializers.IntegerField()


class RecoverySerializer(serializers.ModelSerializer):
    reported_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    amount = serializers.DecimalField(**MONEY, min_value=0)
    payment_order = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Recovery
        fields = [
            "id",
            "received_on",
            "amount",
            "final",
            "fund_share",
            "payment_order",
            "reported_by",
            "reported_at",
        ]
        read_only_fields = ["id", "fund_share", "payment_order", "reported_by", "reported_at"]


class PortfolioRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    exposure = serializers.DecimalField(**MONEY)
    offered = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)


class StressRowSerializer(serializers.Serializer):
    rating = serializers.CharField()
    exposure = serializers.DecimalField(**MONEY)
    expected_calls = serializers.DecimalField(**MONEY)


class StressSerializer(serializers.Serializer):
    default_rates = serializers.DictField(child=serializers.CharField())
    expected_calls = serializers.DecimalField(**MONEY)
    remaining_capacity = serializers.DecimalField(**MONEY)
    capacity_after_calls = serializers.DecimalField(**MONEY)
    by_rating = StressRowSerializer(many=True)


class PortfolioSerializer(serializers.Serializer):
    capacity = serializers.DecimalField(**MONEY)
    exposure = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    use = serializers.DecimalField(
        max_digits=7, decimal_places=2, help_text="Percentage of the capacity used."
    )
    alert_threshold = serializers.DecimalField(max_digits=5, decimal_places=2)
    by_administration = PortfolioRowSerializer(many=True)
    by_rating = PortfolioRowSerializer(many=True)
    by_lender = PortfolioRowSerializer(many=True)
    by_status = PortfolioRowSerializer(many=True)
    stress = StressSerializer()


class StressQuerySerializer(serializers.Serializer):
    """Default rates (%) per rating for the stress scenario; the page's defaults when left out."""

    A = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    B = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    C = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    D = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    E = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
