from django.db import models


class ReferenceSequence(models.Model):
    """The last reference number handed out for one scheme prefix and year (`MUT-2026-00042`).

    The counter row is locked and incremented in the submitting transaction, so a rolled-back
    submission gives its number back: references stay unique and without gaps.
    """

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_sequence")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"
