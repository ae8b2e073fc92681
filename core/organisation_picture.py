"""An organisation's whole picture (issue 9): on its page, every file it is party to across the
schemes, the amounts awarded, guaranteed and compensated, and the payments — for its own members
and for officers, each seeing only the files in their scope (`core.scope.visible_to`).

A file type names the amount it contributes in `PICTURE_AMOUNT = (field, label, states)`. One query
per file type for the ids of its files, one for the latest of them, one for their amount; one for
the latest payment orders of all of them."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum

from .models import PaymentOrder
from .schemes import schemes
from .scope import parties, visible_to

FILES_PER_TYPE = 25  # the latest, with how many there are in all
PAYMENTS_SHOWN = 25  # the latest, across the schemes
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
    kinds, totals, payments = [], [], Q(pk__in=[])
    for scheme in schemes():
        for model in scheme.models():
            if not parties(model):
                continue
            # The organisation's files in the user's scope, read once (an organisation is party to
            # tens of files): the queries below filter on their ids rather than compiling and running
            # the union of its parties and the scope again for the rows, the amount and the payments.
            ids = list(
                visible_to(model, user).filter(_party_of(model, organisation.pk)).values_list("pk", flat=True)
            )
            if not ids:
                continue
            files = model._default_manager.filter(pk__in=ids)
            rows = list(files.order_by("-created_at", "-pk").only(*FILE_COLUMNS)[:FILES_PER_TYPE])
            kinds.append(
                {
                    "label": model._meta.verbose_name_plural,
                    "scheme": scheme.label,
                    "files": rows,
                    "total": len(ids),
                }
            )
            field, label, states = getattr(model, "PICTURE_AMOUNT", (None, None, ()))
            if field:
                amount = files.filter(state__in=list(states)).aggregate(total=Sum(field))["total"]
                totals.append({"label": label, "amount": amount or Decimal("0.00")})
            payments |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    if not kinds:
        return None
    latest_payments = list(
        PaymentOrder.objects.filter(payments)
        .order_by("-created_at", "-pk")
        .only(*PAYMENT_COLUMNS)[: PAYMENTS_SHOWN + 1]  # one more: whether there are others
    )
    return {
        "template": "core/includes/organisation_picture.html",
        "context": {
            "kinds": kinds,
            "totals": totals,
            "payments": latest_payments[:PAYMENTS_SHOWN],
            "more_payments": len(latest_payments) > PAYMENTS_SHOWN,
        },
    }
