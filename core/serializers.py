from rest_framework import serializers

from .models import Notification, PaymentOrder, SepaBatch


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "created_at", "read_at"]
        read_only_fields = fields


class PaymentOrderSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PaymentOrder
        fields = [
            "id",
            "reference",
            "state",
            "kind",
            "amount",
            "administration",
            "file_reference",
            "counterparty_name",
            "counterparty_iban",
            "counterparty_bic",
            "remittance_information",
            "due_date",
            "created_at",
            "approved_at",
            "paid_at",
            "paid_on",
            "exported_at",
        ]
        read_only_fields = fields


class SepaBatchSerializer(serializers.ModelSerializer):
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = SepaBatch
        fields = [
            "id",
            "administration",
            "filename",
            "created_at",
            "created_by",
            "order_count",
            "total",
            "sha256",
        ]
        read_only_fields = fields
