"""REST endpoints for sign-in tokens, the current user and organisations."""

from collections.abc import Mapping

from allauth.account import app_settings as account_settings
from allauth.account.utils import has_verified_email
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from . import services
from .forms import page_language
from .models import JointCommittee, Membership, Organisation, Recognition, RecognitionAuthority, User
from .permissions import may_correct_enterprise_number, may_verify_recognition
from .selectors import is_admin_of, visible_organisations
from .validators import normalise_enterprise_number, normalise_iban


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenThrottle(SimpleRateThrottle):
    """Sign-in attempts per client address, at the `token` rate of DEFAULT_THROTTLE_RATES.

    Not a ScopedRateThrottle: that one reads `throttle_scope` from the view, which a function view
    does not have, and then lets every request through.
    """

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema(
    request=TokenRequestSerializer,
    responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    auth=[],
    summary="Exchange an e-mail address and password for an API token",
)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([TokenThrottle])
def obtain_token(request):
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(
        request,
        email=serializer.validated_data["email"].lower(),
        password=serializer.validated_data["password"],
    )
    if user is None or not user.is_active:
        # The API's one error body (accounts knows nothing of core's handler, so it is written here).
        return Response(
            {
                "detail": str(_("Unable to sign in with these credentials.")),
                "code": "invalid_credentials",
                "errors": {},
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if (
        account_settings.EMAIL_VERIFICATION == account_settings.EmailVerificationMethod.MANDATORY
        and not has_verified_email(user)
    ):
        # The same rule as the web sign-in: no session and no token before the address is confirmed.
        return Response(
            {
                "detail": str(
                    _("Confirm your e-mail address first: follow the link in the message we sent you.")
                ),
                "code": "email_not_verified",
                "errors": {},
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    token, _created = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "preferred_language"]
        read_only_fields = ["id", "email"]


class MeView(generics.RetrieveAPIView):
    """The signed-in user: one object (not a list)."""

    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user

    @extend_schema(summary="The signed-in user")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RecognitionSerializer(serializers.ModelSerializer):
    authority = serializers.SlugRelatedField(slug_field="code", queryset=RecognitionAuthority.objects.all())
    joint_committee = serializers.SlugRelatedField(
        slug_field="number", queryset=JointCommittee.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Recognition
        fields = [
            "id",
            "authority",
            "joint_committee",
            "reference",
            "valid_from",
            "valid_until",
            "under_agreement",
            "verified_at",
        ]
        read_only_fields = ["id", "verified_at"]


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "role", "joined_at"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    joint_committees = serializers.SlugRelatedField(
        slug_field="number", queryset=JointCommittee.objects.all(), many=True, required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name_fr",
            "name_nl",
            "legal_form",
            "enterprise_number",
            "street",
            "postal_code",
            "city",
            "iban",
            "bic",
            "email",
            "preferred_language",
            "headcount_fte",
            "annual_budget",
            "joint_committees",
            "is_mentor",
            "is_financial_institution",
        ]
        read_only_fields = ["id", "is_mentor", "is_financial_institution"]

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # answers 400 "Invalid data"
        data = data.copy()
        if "enterprise_number" in data:
            data["enterprise_number"] = normalise_enterprise_number(str(data["enterprise_number"]))
        if "iban" in data:
            data["iban"] = normalise_iban(str(data["iban"]))
        if "bic" in data:
            data["bic"] = str(data["bic"]).replace(" ", "").upper()
        return super().to_internal_value(data)

    def create(self, validated_data):
        committees = validated_data.pop("joint_committees", [])
        # Without a choice, the language the caller reads the API in (Accept-Language or profile).
        validated_data.setdefault("preferred_language", page_language())
        return services.create_organisation(
            acting_user=self.context["request"].user, data=validated_data, joint_committees=committees
        )

    def update(self, instance, validated_data):
        committees = validated_data.pop("joint_committees", None)
        return services.update_organisation(
            acting_user=self.context["request"].user,
            organisation=instance,
            data=validated_data,
            joint_committees=committees,
        )


class EnterpriseNumberCorrectionSerializer(serializers.Serializer):
    enterprise_number = serializers.CharField(max_length=20)
    reason = serializers.CharField(max_length=1000)


class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations: members see and (as administrators) edit theirs; administration staff read all.

    `core.eligibility_views.OrganisationViewSet` adds the eligibility check and is the one routed."""

    queryset = Organisation.objects.none()
    serializer_class = OrganisationSerializer
    filterset_fields = ["legal_form", "postal_code", "is_mentor", "is_financial_institution"]
    ordering_fields = ["name_fr", "name_nl", "enterprise_number"]
    ordering = ["name_fr"]

    def get_queryset(self):
        return (
            visible_organisations(self.request.user)
            .prefetch_related(
                Prefetch("joint_committees", queryset=JointCommittee.objects.order_by("number"))
            )
            .order_by("name_fr", "name_nl", "pk")
        )

    def require_admin(self, organisation: Organisation) -> None:
        # Checked before the input is validated: a reader who may not edit gets 403, not field errors.
        if not is_admin_of(self.request.user, organisation.pk):
            raise PermissionDenied(_("Only administrators of the organisation may do this."))

    def update(self, request, *args, **kwargs):
        self.require_admin(self.get_object())
        return super().update(request, *args, **kwargs)

    @extend_schema(responses=MembershipSerializer(many=True), summary="The organisation's members")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def members(self, request, pk=None):
        organisation = self.get_object()
        return Response(MembershipSerializer(organisation.memberships.select_related("user"), many=True).data)

    @extend_schema(
        methods=["GET"], responses=RecognitionSerializer(many=True), summary="The organisation's recognitions"
    )
    @extend_schema(methods=["POST"], request=RecognitionSerializer, responses={201: RecognitionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def recognitions(self, request, pk=None):
        organisation = self.get_object()
        if request.method == "POST":
            self.require_admin(organisation)
            serializer = RecognitionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            recognition = services.add_recognition(
                acting_user=request.user, organisation=organisation, data=serializer.validated_data
            )
            return Response(RecognitionSerializer(recognition).data, status=status.HTTP_201_CREATED)
        recognitions = organisation.recognitions.select_related("authority", "joint_committee")
        return Response(RecognitionSerializer(recognitions, many=True).data)

    @extend_schema(
        request=None,
        responses=RecognitionSerializer,
        summary="An officer of the competent administration verifies a recognition",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"recognitions/(?P<recognition_id>[0-9]{1,18})/verify",
        filter_backends=[],
    )
    def verify_recognition(self, request, pk=None, recognition_id=None):
        organisation = self.get_object()
        recognition = get_object_or_404(
            Recognition.objects.select_related("authority"), pk=recognition_id, organisation=organisation
        )
        decision = may_verify_recognition(request.user, recognition)
        if not decision:
            raise PermissionDenied(decision.reason)
        recognition = services.verify_recognition(acting_user=request.user, recognition=recognition)
        return Response(RecognitionSerializer(recognition).data)

    @extend_schema(
        request=EnterpriseNumberCorrectionSerializer,
        responses=OrganisationSerializer,
        summary="An officer corrects the enterprise number (with a reason, kept in the history)",
    )
    @action(detail=True, methods=["post"], url_path="correct-enterprise-number", filter_backends=[])
    def correct_enterprise_number(self, request, pk=None):
        organisation = self.get_object()
        decision = may_correct_enterprise_number(request.user, organisation)
        if not decision:
            raise PermissionDenied(decision.reason)
        serializer = EnterpriseNumberCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.correct_enterprise_number(
            acting_user=request.user, organisation=organisation, **serializer.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)
