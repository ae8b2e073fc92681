from django.contrib import admin

from .models import Fund, GuaranteeRequest, SchemeParameters


class SchemeParametersInline(admin.StackedInline):
    model = SchemeParameters
    extra = 0


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    inlines = [SchemeParametersInline]


@admin.register(SchemeParameters)
class SchemeParametersAdmin(admin.ModelAdmin):
    """A new version is a new row with its effective date: offers keep the version they were made on."""

    list_display = [
        "fund",
        "effective_from",
        "endowment",
        "leverage_multiplier",
        "organisation_cap",
        "fee_rate",
    ]
    list_filter = ["fund"]

    def has_change_permission(self, request, obj=None):
        # A version already used by an offer is never changed: add a new version instead.
        if obj is not None and obj.guarantees.exists():
            return False
        return super().has_change_permission(request, obj)


@admin.register(GuaranteeRequest)
class GuaranteeRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "borrower", "lender", "state", "loan_amount", "guaranteed_amount"]
    list_filter = ["state", "administration", "risk_rating"]
    search_fields = ["reference", "borrower__name_fr", "borrower__name_nl"]
    readonly_fields = [f.name for f in GuaranteeRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
