"""Drafting a grant application: creating the draft, saving its fields, partners and budget (all or
nothing), its documents. Web views and API endpoints both call these; the rules are in `rules.py`."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core.documents import attach_document
from core.exceptions import Conflict, NotPermitted, field_errors
from core.money import to_money
from core.permissions import is_applicant

from .choices import BudgetCategory
from .models import BudgetLine, Call, GrantApplication
from .rules import amount_errors, date_errors, partner_errors
from .states import EDITABLE_STATES

# -- drafts ------------------------------------------------------------------------------------------


def _require_editable(application: GrantApplication, user) -> None:
    decision = is_applicant(application, user)
    if not decision:
        raise NotPermitted(decision.reason)
    if application.state not in EDITABLE_STATES:
        raise Conflict(_("The application can no longer be changed in this state."))


DRAFT_FIELDS = [
    "title",
    "description",
    "axes",
    "types",
    "logics",
    "initiative_legal_form",
    "start_date",
    "end_date",
    "requested_amount",
    "expected_effects",
    "other_public_funding",
    "other_public_funding_amount",
]


@transaction.atomic
def create_draft(
    *, acting_user, call: Call, lead_organisation: Organisation, data: dict, partners=()
) -> GrantApplication:
    application = GrantApplication(call=call, lead_organisation=lead_organisation, created_by=acting_user)
    decision = is_applicant(application, acting_user)
    if not decision:
        raise NotPermitted(decision.reason)
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    _validate_draft(application, partner_ids={p.pk for p in partners}, check_partners=bool(partners))
    application.save()
    application.partners.set(partners)
    return application


@transaction.atomic
def update_draft(
    *, acting_user, application: GrantApplication, data: dict, partners=None
) -> GrantApplication:
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    _require_editable(application, acting_user)
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    partner_ids = (
        {p.pk for p in partners}
        if partners is not None
        else set(application.partners.values_list("pk", flat=True))
    )
    _validate_draft(
        application, partner_ids=partner_ids, check_partners=partners is not None and bool(partners)
    )
    application.save()
    if partners is not None:
        application.partners.set(partners)
    return application


@transaction.atomic
def save_draft(
    *, acting_user, application: GrantApplication, data: dict, partners=None, lines: list[dict] | None = None
) -> GrantApplication:
    """A draft's fields, partners and (when given) budget lines, all or nothing.

    The requested amount is checked against the budget total, which this same save may change: when
    both come together, the amount is set last, once the new budget lines are in place.
    """
    data = dict(data)
    amount_given = "requested_amount" in data
    requested = data.pop("requested_amount", None)
    if lines is not None and amount_given:
        update_draft(
            acting_user=acting_user,
            application=application,
            data={**data, "requested_amount": None},
            partners=partners,
        )
        replace_budget_lines(acting_user=acting_user, application=application, lines=lines)
        update_draft(acting_user=acting_user, application=application, data={"requested_amount": requested})
    else:
        if amount_given:
            data["requested_amount"] = requested
        update_draft(acting_user=acting_user, application=application, data=data, partners=partners)
        if lines is not None:
            replace_budget_lines(acting_user=acting_user, application=application, lines=lines)
    return application


def _validate_draft(application: GrantApplication, *, partner_ids: set[int], check_partners: bool) -> None:
    """Drafts may be incomplete, but what is there must be consistent."""
    errors: dict[str, list[str]] = {}
    if date_errors(start=application.start_date, end=application.end_date):
        errors["end_date"] = date_errors(start=application.start_date, end=application.end_date)
    total = application.budget_total if application.pk else Decimal("0.00")
    if messages := amount_errors(
        requested=application.requested_amount, budget_total=total, call=application.call
    ):
        errors["requested_amount"] = messages
    if check_partners and (
        messages := partner_errors(lead_id=application.lead_organisation_id, partner_ids=partner_ids)
    ):
        errors["partners"] = messages
    if errors:
        raise field_errors(errors)


@transaction.atomic
def replace_budget_lines(
    *, acting_user, application: GrantApplication, lines: list[dict]
) -> list[BudgetLine]:
    """Replace the draft's budget with `lines` (category, description, amount; hours and hourly cost
    for coordination hours, whose amount is hours × hourly cost)."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    _require_editable(application, acting_user)
    built, errors = [], {}
    for index, line in enumerate(lines):
        amount = line.get("amount")
        if line.get("category") == BudgetCategory.COORDINATION_HOURS:
            if not line.get("hours") or not line.get("hourly_cost"):
                errors[f"budget_lines.{index}"] = [
                    _("Coordination hours need a number of hours and an hourly cost.")
                ]
                continue
            amount = to_money(line["hours"] * line["hourly_cost"])
        if amount is None or amount < 0:
            errors[f"budget_lines.{index}"] = [_("Give a positive amount.")]
            continue
        built.append(
            BudgetLine(
                application=application,
                category=line["category"],
                description=line.get("description", ""),
                hours=line.get("hours"),
                hourly_cost=line.get("hourly_cost"),
                amount=amount,
            )
        )
    if errors:
        raise field_errors(errors)
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(built)
    total = sum((line.amount for line in built), Decimal("0.00"))
    if messages := amount_errors(
        requested=application.requested_amount, budget_total=total, call=application.call
    ):
        raise field_errors({"requested_amount": messages})
    return list(application.budget_lines.all())


def upload_document(*, acting_user, application: GrantApplication, document_type: str, upload, replaces=None):
    decision = application.may_upload_documents(acting_user)
    if not decision:
        raise NotPermitted(decision.reason)
    return attach_document(
        file=application,
        document_type=document_type,
        upload=upload,
        acting_user=acting_user,
        replaces=replaces,
    )
