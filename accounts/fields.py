"""Form fields shared by every app (accounts is the lowest layer: core and the schemes import it)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing an id out of the range of the key's column as an invalid choice.

    Django looks the chosen ids up with `pk__in`, which (unlike `pk=`) does not guard against an
    integer too large for the column: SQLite raises OverflowError, a server error, for a posted
    `99999999999999999999`."""

    def _check_values(self, value):
        key = self.queryset.model._meta.get_field(self.to_field_name) if self.to_field_name else None
        key = key or self.queryset.model._meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, (list, tuple)):
            low, high = connections[self.queryset.db].ops.integer_field_range(key.get_internal_type())
            for item in value:
                try:
                    number = int(item)
                except (TypeError, ValueError):
                    continue  # not an id at all: Django's own check refuses it
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)
