"""Every write on grants. Transitions call the `submit_application`, `award`, `order_advance`,
`release_reservation` and `settle` steps from inside the shared transition service's transaction."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core.documents import attach_document
from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import Document, PaymentOrder
from core.money import format_money, to_money
from core.payments import create_payment_order
from core.permissions import is_applicant
from core.submission import prepare_submission
from core.workflow import TransitionRefused

from . import calculations
from .choices import BudgetCategory, ReportKind
from .models import BudgetLine, Call, Envelope, GrantApplication, JustifiedExpense, Report, Review
from .workflow import RESERVING, State

EDITABLE_STATES = {State.DRAFT, State.INFORMATION_REQUESTED}


def _errors(errors: dict[str, list]) -> InvalidInput:
    return InvalidInput(
        _("Please correct the errors below."),
        errors={
            field: [{"message": str(m), "code": "invalid"} for m in messages]
            for field, messages in errors.items()
        },
    )


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
        from core.models import DocumentType

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
        raise _errors(errors)


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
        raise _errors(errors)


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
        raise _errors(errors)
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(built)
    total = sum((line.amount for line in built), Decimal("0.00"))
    if messages := amount_errors(
        requested=application.requested_amount, budget_total=total, call=application.call
    ):
        raise _errors({"requested_amount": messages})
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


# -- submission --------------------------------------------------------------------------------------


def submit_application(application: GrantApplication, *, administration=None) -> None:
    check_completeness(application)
    prepare_submission(
        application,
        organisation=application.lead_organisation,
        scheme_code="grants",
        administration=administration,
    )
    if not Envelope.objects.filter(call=application.call, administration=application.administration).exists():
        raise _errors(
            {
                "administration": [
                    _("This call has no budget envelope for %(administration)s.")
                    % {"administration": application.administration}
                ]
            }
        )


# -- award within the envelope -----------------------------------------------------------------------


def committed_on(envelope: Envelope, *, excluding: int | None = None) -> Decimal:
    """The sum reserved on an envelope, computed in the database."""
    reserved = GrantApplication.objects.filter(
        call_id=envelope.call_id, administration_id=envelope.administration_id, state__in=RESERVING
    )
    if excluding is not None:
        reserved = reserved.exclude(pk=excluding)
    return reserved.aggregate(total=Sum("reserved_amount"))["total"] or Decimal("0.00")


def award(application: GrantApplication, *, amount: Decimal) -> None:
    """Reserve `amount` on the call's envelope for the file's administration, or refuse.

    The envelope row stays locked until the decision commits, so two approvers approving different
    files at the same moment are served one after the other and never commit more than the envelope.
    """
    if not application.reviews.exists():
        raise TransitionRefused(_("At least one review is needed before a decision."), code="review_required")
    if amount > (application.requested_amount or Decimal(0)):
        raise InvalidInput(
            _("Please correct the errors below."),
            errors={
                "awarded_amount": [
                    {
                        "message": _("The award cannot exceed the requested amount (%(amount)s).")
                        % {"amount": format_money(application.requested_amount)},
                        "code": "invalid",
                    }
                ]
            },
        )
    envelope = (
        Envelope.objects.select_for_update()
        .filter(call_id=application.call_id, administration_id=application.administration_id)
        .first()
    )
    if envelope is None:
        raise TransitionRefused(
            _("This call has no budget envelope for the file's administration."), code="no_envelope"
        )
    remaining = envelope.amount - committed_on(envelope, excluding=application.pk)
    if amount > remaining:
        raise TransitionRefused(
            _("The envelope cannot cover this award: %(remaining)s remain of %(envelope)s.")
            % {"remaining": format_money(remaining), "envelope": format_money(envelope.amount)},
            code="envelope_exhausted",
        )
    application.awarded_amount = amount
    application.reserved_amount = amount
    application.decided_at = timezone.now()
    application.acceptance_deadline = timezone.localdate() + timedelta(days=application.call.acceptance_days)


def check_acceptance_deadline(application: GrantApplication) -> None:
    """An award is accepted by its deadline; after it, only lapsing remains (even before the nightly job)."""
    deadline = application.acceptance_deadline
    if deadline is not None and timezone.localdate() > deadline:
        raise TransitionRefused(
            _("The award had to be accepted by %(deadline)s: it can no longer be accepted.")
            % {"deadline": formats.date_format(deadline)},
            code="acceptance_deadline_passed",
        )


def release_reservation(application: GrantApplication) -> None:
    application.reserved_amount = Decimal("0.00")


# -- payments ----------------------------------------------------------------------------------------

OUTGOING = [PaymentOrder.Kind.GRANT_ADVANCE, PaymentOrder.Kind.GRANT_BALANCE]


def _order(application: GrantApplication, *, kind: str, amount: Decimal, label: str, by) -> PaymentOrder:
    organisation = application.lead_organisation
    return create_payment_order(
        file=application,
        kind=kind,
        amount=amount,
        counterparty_name=organisation.name,
        counterparty_iban=organisation.iban,
        counterparty_bic=organisation.bic,
        remittance_information=f"{application.reference} {label}",
        due_date=timezone.localdate() + timedelta(days=30),
        created_by=by,
    )


def order_advance(application: GrantApplication, *, by) -> PaymentOrder | None:
    amount = calculations.advance_amount(application.awarded_amount, application.call.advance_percentage)
    if amount <= 0:  # a call without an advance: everything is paid as the balance
        return None
    return _order(application, kind=PaymentOrder.Kind.GRANT_ADVANCE, amount=amount, label="advance", by=by)


def paid_so_far(application: GrantApplication) -> Decimal:
    """Paid out (or ordered) minus recovered, counting every order that was not cancelled."""
    orders = PaymentOrder.objects.filter(
        content_type__app_label="grants", content_type__model="grantapplication", object_id=application.pk
    ).exclude(state=PaymentOrder.State.CANCELLED)
    totals = orders.aggregate(
        out=Sum("amount", filter=Q(kind__in=OUTGOING)),
        back=Sum("amount", filter=Q(kind=PaymentOrder.Kind.GRANT_RECOVERY)),
    )
    return (totals["out"] or Decimal("0.00")) - (totals["back"] or Decimal("0.00"))


def settle(
    application: GrantApplication, *, accepted_expenses: Decimal, by, terminated: bool
) -> PaymentOrder | None:
    """Closing or termination: balance = min(award, accepted expenses) − paid; a balance order when
    positive, a recovery order when negative. The reservation becomes the grant's final cost."""
    balance = calculations.settlement(application.awarded_amount, accepted_expenses, paid_so_far(application))
    application.accepted_expenses = accepted_expenses
    application.reserved_amount = calculations.final_cost(application.awarded_amount, accepted_expenses)
    if balance > 0:
        return _order(
            application, kind=PaymentOrder.Kind.GRANT_BALANCE, amount=balance, label="balance", by=by
        )
    if balance < 0:
        return _order(
            application, kind=PaymentOrder.Kind.GRANT_RECOVERY, amount=-balance, label="recovery", by=by
        )
    return None


# -- reviews and reports -----------------------------------------------------------------------------


@transaction.atomic
def record_review(*, acting_user, application: GrantApplication, data: dict) -> Review:
    from core.permissions import is_officer

    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    decision = is_officer(application, acting_user)
    if not decision:
        raise NotPermitted(decision.reason)
    if application.state != State.UNDER_REVIEW:
        raise Conflict(_("Reviews are recorded while the application is under review."))
    review, _created = Review.objects.update_or_create(
        application=application, reviewer=acting_user, defaults=data
    )
    review.full_clean()
    return review


@transaction.atomic
def file_report(
    *,
    acting_user,
    application: GrantApplication,
    kind: str,
    activities: str,
    results: str = "",
    expenses: dict | None = None,
) -> Report:
    """Interim reports while in progress; the final report with justified expenses per budget line
    (submitted afterwards with the `submit_final_report` transition)."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    decision = is_applicant(application, acting_user)
    if not decision:
        raise NotPermitted(decision.reason)
    if application.state != State.IN_PROGRESS:
        raise Conflict(_("Reports are filed while the grant is in progress."))
    if not activities.strip():
        raise _errors({"activities": [_("Describe the activities carried out.")]})
    report = Report.objects.create(
        application=application, kind=kind, activities=activities, results=results, submitted_by=acting_user
    )
    if kind == ReportKind.FINAL:
        lines = {line.pk: line for line in application.budget_lines.all()}
        errors = {}
        for line_id, amount in (expenses or {}).items():
            if int(line_id) not in lines:
                errors.setdefault("expenses", []).append(
                    _("Unknown budget line %(line)s.") % {"line": line_id}
                )
            elif amount < 0:
                errors.setdefault("expenses", []).append(_("Justified amounts cannot be negative."))
        if not expenses:
            errors["expenses"] = [_("Justify the expenses per budget line.")]
        if errors:
            raise _errors(errors)
        JustifiedExpense.objects.bulk_create(
            JustifiedExpense(report=report, budget_line=lines[int(line_id)], amount=amount)
            for line_id, amount in expenses.items()
        )
    return report


def latest_final_report(application: GrantApplication) -> Report | None:
    return application.reports.filter(kind=ReportKind.FINAL).order_by("-submitted_at", "-pk").first()


def check_final_report(application: GrantApplication) -> None:
    if latest_final_report(application) is None:
        raise _errors({"report": [_("File the final report with the justified expenses first.")]})
