"""Serializers and filters of the mentoring API (parsing only: the rules live in services and rules)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from accounts.models import Administration, JointCommittee, Organisation
from core.api_filters import IdFilter
from grants.choices import InitiativeLegalForm, MutualisationType
from grants.models import GrantApplication

from . import services
from .choices import LANGUAGES, Activity
from .models import Agreement, DeclarationLine, HoursDeclaration, Mentor, MentorApplication
from .states import AgreementState, DeclarationState

MONEY = {"max_digits": 14, "decimal_places": 2}
HOURS = {"max_digits": 6, "decimal_places": 2}
LANGUAGE_CODES = [code for code, _label in LANGUAGES]


class MentorSerializer(serializers.ModelSerializer):
    """A mentor's status and profile; the profile is edited by the organisation's members."""

    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    types = serializers.ListField(
        child=serializers.ChoiceField(choices=MutualisationType.choices), max_length=10, required=False
    )
    legal_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=InitiativeLegalForm.choices), max_length=10, required=False
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), max_length=len(LANGUAGES), required=False
    )
    joint_committees = serializers.SlugRelatedField(
        slug_field="number", many=True, queryset=JointCommittee.objects.all(), required=False
    )

    class Meta:
        model = Mentor
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "state",
            "source",
            "since",
            "types",
            "legal_forms",
            "joint_committees",
            "languages",
            "availability_hours",
            "presentation",
        ]
        read_only_fields = ["id", "organisation", "organisation_name", "state", "source", "since"]


class RankedMentorSerializer(MentorSerializer):
    score = serializers.IntegerField(read_only=True, help_text="How well the mentor matches the project.")
    availability_left = serializers.DecimalField(**HOURS, read_only=True, help_text="Hours left this month.")
    reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Why it matches."
    )

    class Meta(MentorSerializer.Meta):
        fields = [*MentorSerializer.Meta.fields, "score", "availability_left", "reasons"]
        read_only_fields = MentorSerializer.Meta.fields


class DirectoryQuerySerializer(serializers.Serializer):
    """The project a mentor is sought for (ranking) and the filters."""

    types = serializers.ListField(
        child=serializers.ChoiceField(choices=MutualisationType.choices), required=False, max_length=10
    )
    legal_form = serializers.ChoiceField(choices=InitiativeLegalForm.choices, required=False)
    joint_committee = serializers.CharField(required=False, max_length=10)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="Part of the mentor's name.")
    available = serializers.BooleanField(
        required=False, default=False, help_text="Only mentors with hours left."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MentorApplicationSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    administration = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Administration.objects.all(),
        required=False,
        help_text="Only when the organisation's recognitions make several administrations competent.",
    )

    documents = serializers.SerializerMethodField(help_text="Names of the documents sent with it")

    class Meta:
        model = MentorApplication
        fields = [
            "id",
            "organisation",
            "administration",
            "evidence",
            "documents",
            "state",
            "reason",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = ["id", "state", "reason", "submitted_at", "decided_at"]

    def get_documents(self, application) -> list[str]:
        from core.models import Document

        return list(
            Document.objects.for_file(application).order_by("pk").values_list("original_name", flat=True)
        )


class MentorApplicationUploadSerializer(MentorApplicationSerializer):
    """The same application, sent as multipart with the documents that show the mutualisation."""

    uploads = serializers.ListField(child=serializers.FileField(), required=False, source="documents_sent")

    class Meta(MentorApplicationSerializer.Meta):
        fields = [*MentorApplicationSerializer.Meta.fields, "uploads"]


class MentorApplicationDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# -- agreements --------------------------------------------------------------------------------------


class AgreementSerializer(serializers.ModelSerializer):
    mentor = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    mentee = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    grant = serializers.PrimaryKeyRelatedField(
        queryset=GrantApplication.objects.all(), required=False, allow_null=True
    )
    mentor_name = serializers.CharField(source="mentor.name", read_only=True)
    mentee_name = serializers.CharField(source="mentee.name", read_only=True)
    administration = serializers.CharField(source="administration.code", read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=AgreementState.choices, read_only=True)
    hours_validated = serializers.DecimalField(**HOURS, read_only=True)
    hours_counted = serializers.DecimalField(
        **HOURS, read_only=True, help_text="Validated plus pending hours (what the cap is checked against)."
    )
    planned_hours = serializers.DecimalField(**HOURS, min_value=Decimal("0.25"))

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "state",
            "mentor",
            "mentor_name",
            "mentee",
            "mentee_name",
            "grant",
            "project",
            "objectives",
            "starts_on",
            "ends_on",
            "planned_hours",
            "hourly_rate",
            "hours_cap",
            "hours_validated",
            "hours_counted",
            "initiated_by",
            "administration",
            "deadline",
            "evaluation_usefulness",
            "evaluation_pooled",
            "evaluation_would_recommend",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "reference",
            "hourly_rate",
            "hours_cap",
            "initiated_by",
            "deadline",
            "evaluation_usefulness",
            "evaluation_pooled",
            "evaluation_would_recommend",
            "created_at",
        ]

    def to_representation(self, instance):
        if not hasattr(instance, "hours_counted"):  # a file answered by a transition: read its hours
            from .selectors import with_hours_used

            instance = (
                with_hours_used(Agreement.objects.filter(pk=instance.pk))
                .select_related("mentor", "mentee", "administration")
                .get()
            )
        return super().to_representation(instance)

    def create(self, validated_data):
        return services.create_agreement(acting_user=self.context["request"].user, **validated_data)


class AgreementUpdateSerializer(serializers.ModelSerializer):
    grant = serializers.PrimaryKeyRelatedField(
        queryset=GrantApplication.objects.all(), required=False, allow_null=True
    )
    planned_hours = serializers.DecimalField(**HOURS, min_value=Decimal("0.25"), required=False)

    class Meta:
        model = Agreement
        fields = ["grant", "project", "objectives", "starts_on", "ends_on", "planned_hours"]

    def update(self, instance, validated_data):
        return services.update_agreement(
            agreement=instance, acting_user=self.context["request"].user, data=validated_data
        )


class AgreementFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=AgreementState.choices)
    administration = filters.CharFilter(
        field_name="administration__code", label=gettext_lazy("Administration code (cocof, iriscare)")
    )
    mentor = IdFilter(field_name="mentor_id", label=gettext_lazy("Mentor organisation id"))
    mentee = IdFilter(field_name="mentee_id", label=gettext_lazy("Mentee organisation id"))

    class Meta:
        model = Agreement
        fields = ["state", "administration", "mentor", "mentee"]


# -- declarations ------------------------------------------------------------------------------------


class DeclarationLineSerializer(serializers.ModelSerializer):
    hours = serializers.DecimalField(**HOURS, min_value=Decimal("0.25"), max_value=24)
    activity = serializers.ChoiceField(choices=Activity.choices)

    class Meta:
        model = DeclarationLine
        fields = ["id", "date", "hours", "activity", "description"]
        read_only_fields = ["id"]


@extend_schema_serializer(component_name="HoursDeclaration")
class DeclarationSerializer(serializers.ModelSerializer):
    agreement = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all())
    lines = DeclarationLineSerializer(many=True, required=False, max_length=200)
    state = serializers.ChoiceField(choices=DeclarationState.choices, read_only=True)
    administration = serializers.CharField(source="administration.code", read_only=True, allow_null=True)
    month = serializers.DateField(help_text="Any day of the month declared; stored as its first day.")

    class Meta:
        model = HoursDeclaration
        fields = [
            "id",
            "reference",
            "state",
            "agreement",
            "month",
            "lines",
            "total_hours",
            "amount",
            "administration",
            "deadline",
            "created_at",
        ]
        read_only_fields = ["id", "reference", "total_hours", "amount", "deadline", "created_at"]
        validators: list = []  # one declaration per month: the service refuses it next to the month

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from .selectors import agreements_visible_to

            self.fields["agreement"].queryset = agreements_visible_to(request.user)

    def create(self, validated_data):
        return services.create_declaration(
            acting_user=self.context["request"].user,
            agreement=validated_data["agreement"],
            month=validated_data["month"],
            lines=validated_data.get("lines", []),
        )


class DeclarationLinesSerializer(serializers.Serializer):
    """The draft's lines, all of them, as typed so far (they replace the saved ones)."""

    lines = DeclarationLineSerializer(many=True, max_length=200)

    def update(self, instance, validated_data):
        return services.save_lines(
            declaration=instance, acting_user=self.context["request"].user, lines=validated_data["lines"]
        )


class DeclarationFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=DeclarationState.choices)
    administration = filters.CharFilter(
        field_name="administration__code", label=gettext_lazy("Administration code (cocof, iriscare)")
    )
    agreement = IdFilter(field_name="agreement_id", label=gettext_lazy("Agreement id"))
    month = filters.DateFilter(field_name="month", label=gettext_lazy("First day of the month declared"))

    class Meta:
        model = HoursDeclaration
        fields = ["state", "administration", "agreement", "month"]
