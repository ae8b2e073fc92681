"""An organisation's whole picture (issue 9): on its page, every file it is party to across the
schemes, the amounts awarded, guaranteed and compensated, and the payments — for its own members
and for officers, each seeing only the files in their scope (`core.scope.visible_to`).

A file type names the amount it contributes in `PICTURE_AMOUNT = (field, label, states)`. One query
per file type for its files, one for their amounts, one for their payment orders."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum

from .models import PaymentOrder
from .schemes import schemes
from .scope import parties, visible_to

FILES_PER_TYPE = 50
# Only what the tables show (a file's reference, state and deadline; `__str__` reads the reference).
FILE_COLUMNS = ("pk", "reference", "state", "deadline", "created_at")
PAYMENT_COLUMNS = ("kind", "file_reference", "amount", "due_date", "state", "created_at")


def _party_of(model, organisation_id: int) -> Q:
    """The files the organisation is a party to, as the union of one index lookup per party. An `OR`
    across the parties would join the multi-valued ones (a grant's partners): every file then came
    once per partner, and its amount was added up as often, and PostgreSQL hashed every file of
    the administration to find the organisation's few."""
    first, *others = [
        model._default_manager.filter(**{party.path: organisation_id}).order_by().values("pk")
        for party in parties(model)
    ]
    return Q(pk__in=first.union(*others) if others else first)


def picture(request, organisation) -> dict | None:
    user = request.user
    kinds, totals, payments = [], [], []
    for scheme in schemes():
        for model in scheme.models():
            if not parties(model):
                continue
            files = visible_to(model, user).filter(_party_of(model, organisation.pk))
            rows = list(files.order_by("-created_at", "-pk").only(*FILE_COLUMNS)[:FILES_PER_TYPE])
            if not rows:
                continue
            kinds.append({"label": model._meta.verbose_name_plural, "scheme": scheme.label, "files": rows})
            field, label, states = getattr(model, "PICTURE_AMOUNT", (None, None, ()))
            if field:
                amount = files.filter(state__in=list(states)).aggregate(total=Sum(field))["total"]
                totals.append({"label": label, "amount": amount or Decimal("0.00")})
            payments.extend(
                PaymentOrder.objects.filter(
                    content_type=ContentType.objects.get_for_model(model), object_id__in=files.values("pk")
                )
                .order_by("-created_at", "-pk")
                .only(*PAYMENT_COLUMNS)[:FILES_PER_TYPE]
            )
    if not kinds:
        return None
    payments.sort(key=lambda order: order.created_at, reverse=True)
    return {
        "template": "core/includes/organisation_picture.html",
        "context": {"kinds": kinds, "totals": totals, "payments": payments},
    }
