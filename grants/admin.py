from django.contrib import admin

from .models import BudgetLine, Call, Envelope, GrantApplication, Report, Review


class EnvelopeInline(admin.TabularInline):
    model = Envelope
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = [
        "title_fr",
        "title_nl",
        "opens_on",
        "closes_on",
        "max_amount_per_application",
        "advance_percentage",
    ]
    inlines = [EnvelopeInline]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(GrantApplication)
class GrantApplicationAdmin(admin.ModelAdmin):
    """Support view: workflow states change only through transitions, never here."""

    list_display = [
        "reference",
        "title",
        "lead_organisation",
        "call",
        "administration",
        "state",
        "awarded_amount",
    ]
    list_filter = ["state", "call", "administration"]
    search_fields = ["reference", "title", "lead_organisation__name_fr", "lead_organisation__name_nl"]
    readonly_fields = [
        "state",
        "reference",
        "administration",
        "awarded_amount",
        "reserved_amount",
        "eligibility_snapshot",
    ]
    inlines = [BudgetLineInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "recommendation", "created_at"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "submitted_by", "submitted_at"]
