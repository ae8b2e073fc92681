from django.contrib import admin

from .models import Document, HistoryEntry, Notification, PaymentOrder, ReferenceSequence


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    """Read-only: history is append-only."""

    list_display = ["at", "content_type", "object_id", "transition", "source_state", "target_state", "actor"]
    list_filter = ["content_type", "transition"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReferenceSequence)
class ReferenceSequenceAdmin(admin.ModelAdmin):
    list_display = ["prefix", "year", "last_number"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "document_type",
        "version",
        "media_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["document_type", "media_type"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentOrder)
class PaymentOrderAdmin(admin.ModelAdmin):
    list_display = ["file_reference", "kind", "amount", "state", "administration", "due_date"]
    list_filter = ["state", "kind", "administration"]
    readonly_fields = ["state"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "created_at", "read_at", "emailed_at"]
