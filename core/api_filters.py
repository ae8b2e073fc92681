"""Filters every scheme's API lists share."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import PaymentOrder


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A database id: a whole number within the id columns' range (anything else is a 400, never a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class PaymentOrderFilterSet(filters.FilterSet):
    """Payment orders by state, kind, administration, file, scheme, direction and due date range."""

    scheme = filters.ChoiceFilter(
        choices=PaymentOrder.Scheme.choices,
        method="filter_scheme",
        label="Scheme the order belongs to (by its kind)",
    )
    direction = filters.ChoiceFilter(
        choices=PaymentOrder.Direction.choices,
        method="filter_direction",
        label="`payable`: paid out by the administration; `receivable`: owed to it (recoveries, fees)",
    )
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after this date")
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before this date")

    class Meta:
        model = PaymentOrder
        fields = ["state", "kind", "administration__code", "file_reference"]

    def filter_scheme(self, queryset, name, value):
        from .payments import filter_payment_orders

        return filter_payment_orders(queryset, scheme=value)

    def filter_direction(self, queryset, name, value):
        from .payments import filter_payment_orders

        return filter_payment_orders(queryset, direction=value)
