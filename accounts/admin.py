from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services, signals
from .models import (
    Administration,
    Invitation,
    JointCommittee,
    Membership,
    Municipality,
    Organisation,
    PostalCode,
    Recognition,
    RecognitionAuthority,
    StaffRole,
    User,
)


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "preferred_language", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [StaffRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_nl", "email"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["nis_code", "name_fr", "name_nl", "in_region"]
    list_filter = ["in_region"]


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["code"]


@admin.register(JointCommittee)
class JointCommitteeAdmin(admin.ModelAdmin):
    list_display = ["number", "name_fr", "name_nl", "eligible"]
    list_filter = ["eligible"]


@admin.register(RecognitionAuthority)
class RecognitionAuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_nl", "in_scope", "administration"]


class RecognitionInline(admin.TabularInline):
    model = Recognition
    extra = 0
    fields = [
        "authority",
        "joint_committee",
        "reference",
        "valid_from",
        "valid_until",
        "under_agreement",
        "verified_at",
        "evidence_document",
    ]
    # Verification is an officer's act with its own history row (the "to verify" list), not an edit.
    readonly_fields = ["verified_at", "evidence_document"]

    @admin.display(description=_("evidence"))
    def evidence_document(self, recognition):
        """Through the download view that checks who asks: documents have no public address."""
        if not recognition.pk or not recognition.evidence:
            return "—"
        url = reverse("accounts:recognition_evidence", args=[recognition.organisation_id, recognition.pk])
        return format_html('<a href="{}">{}</a>', url, recognition.evidence.name.rsplit("/", 1)[-1])


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "enterprise_number",
        "legal_form",
        "postal_code",
        "is_mentor",
        "is_financial_institution",
    ]
    list_filter = ["legal_form", "is_mentor", "is_financial_institution"]
    search_fields = ["name_fr", "name_nl", "enterprise_number"]
    filter_horizontal = ["joint_committees"]
    inlines = [MembershipInline, RecognitionInline]
    readonly_fields = ["identity_locked_at"]

    def get_readonly_fields(self, request, obj=None):
        # A locked enterprise number is corrected by an officer, with a reason, on the organisation page.
        if obj is not None and obj.identity_is_locked:
            return [*self.readonly_fields, "enterprise_number"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            request._organisation_before = services.organisation_snapshot(Organisation.objects.get(pk=obj.pk))
            request._recognitions_before = set(obj.recognitions.values_list("pk", flat=True))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        organisation = form.instance
        # The admin saves the whole form in one transaction: the trace commits with it.
        before = getattr(request, "_organisation_before", None)
        if before is None:  # added here: its creation and each recognition entered with it
            signals.organisation_created.send(
                sender=Organisation, organisation=organisation, acting_user=request.user
            )
            recognitions_before = set()
        else:
            services.announce_organisation_change(
                acting_user=request.user, organisation=organisation, before=before
            )
            recognitions_before = request._recognitions_before
        for recognition in organisation.recognitions.exclude(pk__in=recognitions_before):
            signals.recognition_added.send(
                sender=Recognition, recognition=recognition, acting_user=request.user
            )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token"]
