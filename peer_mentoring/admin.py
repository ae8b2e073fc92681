from django.contrib import admin

from .models import Agreement, HoursDeclaration, Mentor, MentorApplication, ProgrammeSettings


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "default_hourly_rate", "default_hours_cap", "daily_maximum_hours"]

    def has_add_permission(self, request) -> bool:
        return not ProgrammeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["organisation", "state", "source", "since", "availability_hours"]
    list_filter = ["state", "source"]
    # The status changes through the services (history row, `is_mentor` kept in sync).
    readonly_fields = ["organisation", "state", "source", "grant", "since"]
    search_fields = ["organisation__name_fr", "organisation__name_nl"]


@admin.register(MentorApplication)
class MentorApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "administration", "state", "submitted_at"]
    list_filter = ["state", "administration"]
    readonly_fields = [f.name for f in MentorApplication._meta.fields]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "mentor", "mentee", "state", "administration", "starts_on", "ends_on"]
    list_filter = ["state", "administration"]
    search_fields = ["reference", "project"]
    readonly_fields = ["state"]


@admin.register(HoursDeclaration)
class HoursDeclarationAdmin(admin.ModelAdmin):
    list_display = ["reference", "agreement", "month", "state", "total_hours", "amount"]
    list_filter = ["state", "administration"]
    readonly_fields = ["state"]
