"""Serializers and filters of the grants API (parsing only: the rules live in grants.services)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation
from accounts.selectors import administration_ids_where, is_staff_member
from accounts.validators import normalise_enterprise_number
from core.api_filters import IdFilter

from . import drafting, rules
from .choices import Axis, Logic, MutualisationType
from .models import BudgetLine, Call, GrantApplication, Report, Review
from .selectors import envelopes_with_budget
from .states import EDITABLE_STATES, State

MONEY = {"max_digits": 14, "decimal_places": 2}


def sees_budget_figures(user) -> bool:
    return user.is_superuser or is_staff_member(user)


class EnvelopeSerializer(serializers.Serializer):
    administration = serializers.CharField(source="administration.code")
    amount = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY, help_text="Reserved by approved and running grants.")
    paid = serializers.DecimalField(**MONEY, help_text="Paid out, net of recoveries.")
    remaining = serializers.DecimalField(**MONEY, help_text="Amount minus committed.")


class CallSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the language of the request.")
    is_open = serializers.BooleanField(read_only=True)
    envelopes = serializers.SerializerMethodField(
        help_text="The budget per administration, for administration staff only (null for applicants)."
    )

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "title_fr",
            "title_nl",
            "opens_on",
            "closes_on",
            "is_open",
            "max_amount_per_application",
            "advance_percentage",
            "acceptance_days",
            "required_documents",
            "envelopes",
        ]
        read_only_fields = fields

    @extend_schema_field(EnvelopeSerializer(many=True, allow_null=True))
    def get_envelopes(self, call) -> list | None:
        user = self.context["request"].user
        if not sees_budget_figures(user):
            return None
        # Prefetched with their budget figures by the viewset (one query for the whole page).
        envelopes = getattr(call, "envelopes_with_budget", None)
        if envelopes is None:
            envelopes = list(envelopes_with_budget(call))
        if not user.is_superuser:
            # Officers see the figures of their own administrations, like their files.
            mine = administration_ids_where(user)
            envelopes = [envelope for envelope in envelopes if envelope.administration_id in mine]
        return EnvelopeSerializer(envelopes, many=True).data


class CallFilter(filters.FilterSet):
    open = filters.BooleanFilter(method="filter_open", label=gettext_lazy("Open for applications today"))

    class Meta:
        model = Call
        fields = ["open"]

    def filter_open(self, calls, name, value):
        today = timezone.localdate()
        open_today = Q(opens_on__lte=today, closes_on__gte=today)
        return calls.filter(open_today) if value else calls.exclude(open_today)


class PartnerField(serializers.SlugRelatedField):
    """A partner organisation named by its enterprise number, with or without dots and spaces."""

    def to_internal_value(self, data):
        return super().to_internal_value(normalise_enterprise_number(str(data)))


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "category", "description", "hours", "hourly_cost", "amount"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "amount": {
                "required": False,
                "allow_null": True,
                "help_text": "For coordination hours, computed as hours × hourly cost.",
            }
        }


class GrantApplicationListSerializer(serializers.ModelSerializer):
    """One row of the list: what a work queue shows, without the per-file reads of the detail."""

    call_title = serializers.CharField(source="call.title", read_only=True)
    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = GrantApplication
        fields = [
            "id",
            "reference",
            "state",
            "title",
            "call",
            "call_title",
            "lead_organisation",
            "lead_organisation_name",
            "administration",
            "requested_amount",
            "awarded_amount",
            "acceptance_deadline",
            "submitted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CompletenessItemSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class GrantApplicationSerializer(serializers.ModelSerializer):
    """A grant application; drafts are created and changed through `grants.services`."""

    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    partners = PartnerField(
        slug_field="enterprise_number",
        queryset=Organisation.objects.all(),
        many=True,
        required=False,
        help_text="Enterprise numbers (BCE/KBO) of the partner organisations.",
    )
    axes = serializers.ListField(child=serializers.ChoiceField(choices=Axis.choices), required=False)
    types = serializers.ListField(
        child=serializers.ChoiceField(choices=MutualisationType.choices), required=False
    )
    logics = serializers.ListField(child=serializers.ChoiceField(choices=Logic.choices), required=False)
    budget_lines = BudgetLineSerializer(
        many=True, required=False, help_text="Replaces the whole budget when given."
    )
    budget_total = serializers.DecimalField(**MONEY, read_only=True)
    completeness = serializers.SerializerMethodField(
        help_text="What is still missing before the application can be submitted (drafts and files "
        "awaiting information); null in other states."
    )

    class Meta:
        model = GrantApplication
        fields = [
            "id",
            "reference",
            "state",
            "call",
            "lead_organisation",
            "lead_organisation_name",
            "administration",
            "partners",
            "title",
            "description",
            "axes",
            "types",
            "logics",
            "initiative_legal_form",
            "start_date",
            "end_date",
            "requested_amount",
            "budget_lines",
            "budget_total",
            "expected_effects",
            "other_public_funding",
            "other_public_funding_amount",
            "awarded_amount",
            "reserved_amount",
            "accepted_expenses",
            "acceptance_deadline",
            "decided_at",
            "eligibility_snapshot",
            "submitted_at",
            "created_at",
            "updated_at",
            "completeness",
        ]
        read_only_fields = [
            "reference",
            "state",
            "awarded_amount",
            "reserved_amount",
            "accepted_expenses",
            "acceptance_deadline",
            "decided_at",
            "eligibility_snapshot",
            "submitted_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(CompletenessItemSerializer(many=True, allow_null=True))
    def get_completeness(self, application) -> list | None:
        if application.state not in EDITABLE_STATES:
            return None
        return [
            {"field": field, "message": str(message)}
            for field, messages in rules.completeness_errors(application).items()
            for message in messages
        ]

    def create(self, validated_data):
        user = self.context["request"].user
        partners = validated_data.pop("partners", [])
        lines = validated_data.pop("budget_lines", None)
        with transaction.atomic():
            application = drafting.create_draft(
                acting_user=user,
                call=validated_data.pop("call"),
                lead_organisation=validated_data.pop("lead_organisation"),
                data=validated_data,
                partners=partners,
            )
            if lines is not None:
                drafting.replace_budget_lines(acting_user=user, application=application, lines=lines)
        return application

    def update(self, application, validated_data):
        partners = validated_data.pop("partners", None)
        lines = validated_data.pop("budget_lines", None)
        return drafting.save_draft(
            acting_user=self.context["request"].user,
            application=application,
            data=validated_data,
            partners=partners,
            lines=lines,
        )


class GrantApplicationUpdateSerializer(GrantApplicationSerializer):
    """A draft keeps its call and lead organisation."""

    class Meta(GrantApplicationSerializer.Meta):
        read_only_fields = [*GrantApplicationSerializer.Meta.read_only_fields, "call", "lead_organisation"]


class GrantApplicationFilter(filters.FilterSet):
    call = IdFilter(field_name="call_id", label=gettext_lazy("Call id"))
    state = filters.ChoiceFilter(choices=State.choices)
    administration = filters.CharFilter(
        field_name="administration__code", label=gettext_lazy("Administration code (cocof, iriscare)")
    )
    lead_organisation = IdFilter(
        field_name="lead_organisation_id", label=gettext_lazy("Lead organisation id")
    )
    deadline = filters.DateFromToRangeFilter(
        field_name="acceptance_deadline", label=gettext_lazy("Date before which the award must be accepted")
    )
    created = filters.DateFromToRangeFilter(field_name="created_at", label=gettext_lazy("Date of creation"))
    submitted = filters.DateFromToRangeFilter(
        field_name="submitted_at", label=gettext_lazy("Date of submission")
    )

    class Meta:
        model = GrantApplication
        fields = ["call", "state", "administration", "lead_organisation"]


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SerializerMethodField()
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "reviewer",
            "relevance",
            "relevance_comment",
            "feasibility",
            "feasibility_comment",
            "partnership",
            "partnership_comment",
            "budget",
            "budget_comment",
            "public_effect",
            "public_effect_comment",
            "recommendation",
            "total",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def get_reviewer(self, review) -> str:
        return review.reviewer.email


class ReviewAverageSerializer(serializers.Serializer):
    relevance = serializers.FloatField(allow_null=True)
    feasibility = serializers.FloatField(allow_null=True)
    partnership = serializers.FloatField(allow_null=True)
    budget = serializers.FloatField(allow_null=True)
    public_effect = serializers.FloatField(allow_null=True)
    overall = serializers.FloatField(allow_null=True, help_text="The mean of the five criteria.")


class ReviewSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average = ReviewAverageSerializer(
        help_text="Averages out of 5, rounded to 2 decimals; null without reviews."
    )
    reviews = ReviewSerializer(many=True)


class JustifiedExpenseSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField(source="budget_line_id", help_text="id of one of the budget lines")
    amount = serializers.DecimalField(**MONEY, min_value=0)


class ReportSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SerializerMethodField()
    expenses = JustifiedExpenseSerializer(
        many=True, required=False, help_text="The final report's justified expenses, per budget line."
    )

    class Meta:
        model = Report
        fields = ["id", "kind", "activities", "results", "expenses", "submitted_by", "submitted_at"]
        read_only_fields = ["id", "submitted_by", "submitted_at"]

    def get_submitted_by(self, report) -> str:
        return report.submitted_by.email

    def validate_expenses(self, expenses):
        lines = [expense["budget_line_id"] for expense in expenses]
        if len(lines) != len(set(lines)):
            raise serializers.ValidationError(_("Give each budget line once."))
        return expenses
