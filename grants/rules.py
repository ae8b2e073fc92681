"""Rules on a grant application's content: each returns messages by field, so the draft form, the
API and the submission show the same refusal next to the same field."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import field_errors
from core.models import Document, DocumentType
from core.money import format_money

from .models import Call, GrantApplication

# -- rules on the application's content (drafts, forms, API and submission share them) ---------------


def amount_errors(*, requested: Decimal | None, budget_total: Decimal, call: Call) -> list[str]:
    if requested is None:
        return []
    errors = []
    if requested <= 0:
        errors.append(_("The requested amount must be more than zero."))
    if requested > call.max_amount_per_application:
        errors.append(
            _("The requested amount exceeds the call's maximum of %(maximum)s.")
            % {"maximum": format_money(call.max_amount_per_application)}
        )
    if budget_total and requested > budget_total:
        errors.append(
            _("The requested amount exceeds the total budget of %(total)s.")
            % {"total": format_money(budget_total)}
        )
    return errors


def date_errors(*, start, end) -> list[str]:
    if start and end and end < start:
        return [_("The end date cannot be before the start date.")]
    return []


def partner_errors(*, lead_id: int | None, partner_ids: set[int]) -> list[str]:
    if not partner_ids:
        return [_("Name at least one partner organisation: mutualisation pools resources between several.")]
    if lead_id in partner_ids:
        return [_("The lead organisation cannot also be its own partner.")]
    return []


def completeness_errors(application: GrantApplication, *, during_call: bool = True) -> dict[str, list[str]]:
    """Everything a submission needs, by field (the form shows each message next to its field).

    `during_call=False` when answering an information request: the call's dates bind the first
    submission only, and screening usually goes on after the call has closed."""
    errors: dict[str, list[str]] = {}

    def add(field: str, messages) -> None:
        if messages:
            errors.setdefault(field, []).extend(messages if isinstance(messages, list) else [messages])

    today = timezone.localdate()
    if during_call and not application.call.is_open_on(today):
        add(
            "call",
            _(
                "The call “%(call)s” is open from %(opens)s to %(closes)s: applications cannot be submitted now."
            )
            % {
                "call": application.call.title,
                "opens": application.call.opens_on,
                "closes": application.call.closes_on,
            },
        )
    for field, label in [
        ("title", _("Give the initiative a title.")),
        ("description", _("Describe the initiative.")),
        ("initiative_legal_form", _("Choose the legal form of the initiative.")),
        ("expected_effects", _("Describe the expected effects on the public.")),
        ("start_date", _("Give the start date.")),
        ("end_date", _("Give the end date.")),
        ("requested_amount", _("Give the requested amount.")),
    ]:
        if getattr(application, field) in (None, ""):
            add(field, label)
    for field, label in [
        ("axes", _("Choose at least one axis of the mutualisation measure.")),
        ("types", _("Choose at least one type of mutualisation.")),
        ("logics", _("Choose at least one logic.")),
    ]:
        if not getattr(application, field):
            add(field, label)
    add(
        "partners",
        partner_errors(
            lead_id=application.lead_organisation_id,
            partner_ids=set(application.partners.values_list("pk", flat=True)),
        ),
    )
    add("end_date", date_errors(start=application.start_date, end=application.end_date))
    lines = list(application.budget_lines.all())
    if not lines:
        add("budget_lines", _("Add at least one budget line."))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    add(
        "requested_amount",
        amount_errors(requested=application.requested_amount, budget_total=total, call=application.call),
    )
    present = set(Document.objects.for_file(application).values_list("document_type", flat=True))
    missing = [kind for kind in application.call.required_documents if kind not in present]
    if missing:
        labels = dict(DocumentType.choices)
        add(
            "documents",
            _("Missing documents: %(documents)s.")
            % {"documents": ", ".join(str(labels.get(k, k)) for k in missing)},
        )
    return errors


def check_completeness(application: GrantApplication, *, during_call: bool = True) -> None:
    errors = completeness_errors(application, during_call=during_call)
    if errors:
        raise field_errors(errors)
