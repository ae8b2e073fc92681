"""Drafting a grant application: creating the draft, saving its fields, partners and budget (all or
nothing for the API, section by section for the web), its documents. Web views and API endpoints
both call these; the rules are in `rules.py`. Every save that changes something leaves a
`draft_saved` history row in the same transaction."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core import documents
from core.audit import record_event
from core.exceptions import NotPermitted, field_errors
from core.money import to_money
from core.permissions import is_applicant, require

from .choices import BudgetCategory
from .models import BudgetLine, Call, GrantApplication
from .permissions import may_edit
from .rules import amount_errors, date_errors, partner_errors

# -- drafts ------------------------------------------------------------------------------------------


def _require_editable(application: GrantApplication, user) -> None:
    require(may_edit(application, user), file=application)


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


# What a draft's history row compares: its fields, its partners and its budget lines.
LINE_FIELDS = ("category", "description", "hours", "hourly_cost", "amount")


@dataclass
class DraftSaved:
    """A saved draft, fresh from the database, with what was refused (kept as it was) and what changed."""

    application: GrantApplication
    errors: dict[str, list[str]] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)


def save_draft(
    *, acting_user, application: GrantApplication, data: dict, partners=None, lines: list[dict] | None = None
) -> GrantApplication:
    """A draft's fields, partners and (when given) budget lines, all or nothing (the API's PATCH).

    The requested amount is checked against the budget total this same save may change. Returns the
    application as saved."""
    return _save(
        acting_user=acting_user, application=application, data=data, partners=partners, lines=lines
    ).application


def save_draft_partially(
    *, acting_user, application: GrantApplication, data: dict, partners=None, lines: list[dict] | None = None
) -> DraftSaved:
    """What the web saves: every section that is consistent is stored, each refused one stays as it was
    saved (its messages in `errors`), so one wrong date never costs the applicant the rest of the page.

    The budget is one section: a refused line keeps the saved budget as it was, since storing the other
    lines alone would drop a saved line the applicant never deleted."""
    return _save(
        acting_user=acting_user,
        application=application,
        data=data,
        partners=partners,
        lines=lines,
        partial=True,
    )


@transaction.atomic
def _save(
    *,
    acting_user,
    application: GrantApplication,
    data: dict,
    partners=None,
    lines: list[dict] | None,
    partial: bool = False,
) -> DraftSaved:
    # One lock and one permission check for the whole save.
    application = (
        GrantApplication.objects.select_related("call", "lead_organisation")
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )
    _require_editable(application, acting_user)
    before = {name: getattr(application, name) for name in DRAFT_FIELDS}
    saved_partner_ids = set(application.partners.values_list("pk", flat=True))
    saved_lines = [_line_values(line) for line in application.budget_lines.all()]
    errors: dict[str, list[str]] = {}

    for name in DRAFT_FIELDS:
        if name in data and name != "requested_amount":
            setattr(application, name, data[name])
    if messages := date_errors(start=application.start_date, end=application.end_date):
        errors["end_date"] = messages
        application.end_date = before["end_date"]
        if date_errors(start=application.start_date, end=application.end_date):
            application.start_date = before["start_date"]

    partner_ids = None if partners is None else {p.pk for p in partners}
    if partner_ids and (
        messages := partner_errors(lead_id=application.lead_organisation_id, partner_ids=partner_ids)
    ):
        errors["partners"] = messages
        partner_ids = None

    built = None
    if lines is not None:
        built, line_errors = _build_lines(application, lines)
        if line_errors:
            errors.update(line_errors)
            built = None
    total = (
        sum((line.amount for line in built), Decimal("0.00"))
        if built is not None
        else sum((line["amount"] for line in saved_lines), Decimal("0.00"))
    )
    # A partial save checks the amount only when it is given: a saved amount that a smaller budget
    # no longer covers is for the completeness panel to say, not a reason to refuse the budget.
    if "requested_amount" in data or not partial:
        requested = data.get("requested_amount", application.requested_amount)
        if messages := amount_errors(requested=requested, budget_total=total, call=application.call):
            errors["requested_amount"] = messages
        else:
            application.requested_amount = requested

    if errors and not partial:
        raise field_errors(errors)

    changed = [name for name in DRAFT_FIELDS if getattr(application, name) != before[name]]
    if changed:
        application.save()
    if partner_ids is not None and partner_ids != saved_partner_ids:
        application.partners.set(partners)
        changed.append("partners")
    if built is not None and [_line_values(line) for line in built] != saved_lines:
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(built)
        changed.append("budget_lines")
    if changed:
        record_event(
            target=application, event="draft_saved", acting_user=acting_user, parameters={"fields": changed}
        )
    return DraftSaved(application=application, errors=errors, changed=changed)


def _line_values(line: BudgetLine) -> dict:
    return {name: getattr(line, name) for name in LINE_FIELDS}


def _build_lines(application: GrantApplication, lines: list[dict]) -> tuple[list[BudgetLine], dict]:
    """Budget lines from `lines` (category, description, amount; hours and hourly cost for coordination
    hours, whose amount is hours × hourly cost), and the refusals by line."""
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
    return built, errors


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
    """Replace the draft's budget with `lines` (a new draft's budget, from the API or the demo data)."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    _require_editable(application, acting_user)
    built, errors = _build_lines(application, lines)
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


@transaction.atomic
def delete_document(*, acting_user, application: GrantApplication, document) -> None:
    """A draft drops one of its documents (a submitted file only ever gets new versions)."""
    _require_editable(application, acting_user)
    documents.delete_document(
        document=document, file_is_submitted=application.is_submitted, acting_user=acting_user
    )


def upload_document(*, acting_user, application: GrantApplication, document_type: str, upload, replaces=None):
    return documents.upload_document(
        file=application,
        acting_user=acting_user,
        document_type=document_type,
        upload=upload,
        replaces=replaces,
    )
