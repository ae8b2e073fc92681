"""Every write on guarantees: drafts, the effects the transitions declare (submission, offer within
the fund's capacity and the caps, activation with its schedule and fee calendar, call, claim), the
risk review, lender declarations, recoveries and the fee run. Effects are called by
`core.workflow.perform_transition` inside its transaction, with the file already locked."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import record_event
from core.exceptions import field_errors
from core.locking import lock_file, lock_row
from core.models import PaymentOrder
from core.money import format_money, to_money
from core.payments import create_payment_order
from core.permissions import require
from core.submission import prepare_submission
from core.workflow import TransitionRefused

from . import calculations, selectors
from .error_codes import GuaranteeErrorCode as Code
from .models import FeePeriod, Fund, GuaranteeRequest, LenderDeclaration, Recovery, ScheduleLine
from .permissions import is_lender, may_declare, may_edit, may_record_risk_review, may_report_recovery
from .rules import check_completeness, content_errors, parameters_in_force

DRAFT_FIELDS = (
    "lender",
    "purpose",
    "grant",
    "loan_amount",
    "duration_months",
    "interest_rate",
    "repayment_profile",
    "requested_coverage",
    "collateral",
)

TEXT_FIELDS = {"purpose", "repayment_profile", "collateral"}

# -- drafts -------------------------------------------------------------------------------------------


def _refuse_content(values: dict) -> None:
    errors = content_errors(values, parameters_in_force())
    if errors:
        raise field_errors(errors)


@transaction.atomic
def create_draft(*, acting_user, borrower, data: dict) -> GuaranteeRequest:
    from core.permissions import deny
    from core.permissions import require as required

    if borrower.pk not in _member_organisation_ids(acting_user):
        required(deny(_("Only members of the borrowing organisation may do this.")))
    values = {field: data.get(field) for field in DRAFT_FIELDS if field in data}
    _refuse_content({**values, "borrower": borrower})
    request = GuaranteeRequest.objects.create(borrower=borrower, created_by=acting_user, **values)
    record_event(
        target=request, event="draft_saved", acting_user=acting_user, parameters={"fields": sorted(values)}
    )
    return request


def _member_organisation_ids(user) -> set[int]:
    from accounts.selectors import membership_roles_by_organisation

    return set(membership_roles_by_organisation(user))


@transaction.atomic
def update_draft(*, acting_user, request: GuaranteeRequest, data: dict) -> GuaranteeRequest:
    request = lock_file(GuaranteeRequest, request.pk)
    require(may_edit(request, acting_user), file=request)
    changed = {field: data[field] for field in DRAFT_FIELDS if field in data}
    values = {**{f: getattr(request, f) for f in DRAFT_FIELDS}, **changed, "borrower": request.borrower}
    _refuse_content(values)
    for field, value in changed.items():
        setattr(request, field, "" if value is None and field in TEXT_FIELDS else value)
    request.save()
    record_event(
        target=request, event="draft_saved", acting_user=acting_user, parameters={"fields": sorted(changed)}
    )
    return request


# -- submission ---------------------------------------------------------------------------------------


def submit_request(*, file: GuaranteeRequest, acting_user, administration=None) -> None:
    check_completeness(file)
    prepare_submission(file, organisation=file.borrower, administration=administration)


def require_complete_request(*, file: GuaranteeRequest, acting_user) -> None:
    check_completeness(file)


# -- risk review --------------------------------------------------------------------------------------


@transaction.atomic
def record_risk_review(
    *, acting_user, request: GuaranteeRequest, rating: str, justification: str, recommendation: str
):
    request = lock_file(GuaranteeRequest, request.pk)
    require(may_record_risk_review(request, acting_user), file=request)
    if not justification.strip():
        raise field_errors({"justification": [_("Justify the rating.")]})
    changed = bool(request.risk_rating)
    request.risk_rating, request.risk_justification, request.recommendation = (
        rating,
        justification,
        recommendation,
    )
    request.risk_reviewed_by, request.risk_reviewed_at = acting_user, timezone.now()
    request.save()
    record_event(
        target=request,
        event="risk_review_changed" if changed else "risk_review_recorded",
        acting_user=acting_user,
        parameters={"rating": rating, "recommendation": recommendation},
    )
    return request


# -- the offer, within the fund's capacity and the caps ----------------------------------------------


def _refuse(message, code) -> None:
    raise TransitionRefused(message, code=code)


def offer(
    *,
    file: GuaranteeRequest,
    acting_user,
    coverage: Decimal,
    fee_rate: Decimal | None = None,
    offer_expires_on=None,
) -> None:
    """Reserve the guaranteed amount on the fund, or refuse saying what is left.

    The fund's row is locked (after the file) until the decision commits: two approvers offering at
    the same moment are served one after the other, so neither the capacity nor a cap is ever
    exceeded. The parameter version in force now is kept on the file."""
    parameters = parameters_in_force()
    if parameters is None:
        _refuse(_("The scheme has no parameters in force."), Code.NO_PARAMETERS)
    maximum = parameters.max_coverage(file.repayment_profile)
    if coverage > maximum:
        raise field_errors(
            {
                "coverage": [
                    (
                        _("At most %(coverage)s %% for this type of loan.")
                        % {"coverage": maximum.normalize()},
                        Code.COVERAGE_TOO_HIGH,
                    )
                ]
            },
            code=Code.COVERAGE_TOO_HIGH,
        )
    latest_expiry = calculations.add_months(timezone.localdate(), parameters.offer_validity_months)
    if offer_expires_on is not None and not (timezone.localdate() < offer_expires_on <= latest_expiry):
        raise field_errors(
            {
                "offer_expires_on": [
                    _("Between tomorrow and %(latest)s (an offer is valid at most %(months)s months).")
                    % {
                        "latest": formats.date_format(latest_expiry),
                        "months": parameters.offer_validity_months,
                    }
                ]
            }
        )
    guaranteed = calculations.guaranteed_part(file.loan_amount, coverage)
    lock_row(Fund.objects.filter(pk=parameters.fund_id))

    exposure = selectors.fund_exposure(excluding=file.pk)
    remaining = parameters.capacity - exposure
    if guaranteed > remaining:
        _refuse(
            _("The fund's capacity cannot cover %(amount)s: %(remaining)s remain of %(capacity)s.")
            % {
                "amount": format_money(guaranteed),
                "remaining": format_money(max(remaining, 0)),
                "capacity": format_money(parameters.capacity),
            },
            Code.FUND_CAPACITY_EXCEEDED,
        )
    organisation_left = parameters.organisation_cap - selectors.organisation_exposure(
        file.borrower_id, excluding=file.pk
    )
    if guaranteed > organisation_left:
        _refuse(
            _("The organisation's cap of %(cap)s would be exceeded: %(left)s remain for this organisation.")
            % {
                "cap": format_money(parameters.organisation_cap),
                "left": format_money(max(organisation_left, 0)),
            },
            Code.ORGANISATION_CAP_EXCEEDED,
        )
    lender = selectors.lender_figures(file.lender_id)
    loss_cap = calculations.guaranteed_part(
        lender["volume"] + lender["offered"] + guaranteed, parameters.lender_loss_cap
    )
    if lender["paid"] > 0 and lender["paid"] >= loss_cap:
        _refuse(
            _("The lender's loss cap is reached: %(paid)s of claims were paid for a cap of %(cap)s.")
            % {"paid": format_money(lender["paid"]), "cap": format_money(loss_cap)},
            Code.LENDER_CAP_EXCEEDED,
        )
    fee_rate = parameters.fee_rate if fee_rate is None else fee_rate
    aid = calculations.aid_equivalent(
        guaranteed=guaranteed,
        months=file.duration_months,
        market_premium=parameters.market_premium(file.risk_rating),
        fee_rate=fee_rate,
        one_off=parameters.fee_frequency == "one_off",
    )
    de_minimis_left = parameters.de_minimis_ceiling - selectors.de_minimis_total(
        file.borrower_id, years=parameters.de_minimis_years, excluding=file.pk
    )
    if aid > de_minimis_left:
        _refuse(
            _(
                "The de minimis ceiling of %(ceiling)s over %(years)s years would be exceeded: this guarantee's aid equivalent is %(aid)s, %(left)s remain."
            )
            % {
                "ceiling": format_money(parameters.de_minimis_ceiling),
                "years": parameters.de_minimis_years,
                "aid": format_money(aid),
                "left": format_money(max(de_minimis_left, 0)),
            },
            Code.DE_MINIMIS_EXCEEDED,
        )
    file.parameters = parameters
    file.coverage = coverage
    file.guaranteed_amount = guaranteed
    file.fee_rate = fee_rate
    file.fee_frequency = parameters.fee_frequency
    file.aid_equivalent = aid
    file.offered_at = timezone.now()
    file.offer_expires_on = offer_expires_on or latest_expiry

    used_before = calculations.use_percentage(exposure, parameters.capacity)
    used_after = calculations.use_percentage(exposure + guaranteed, parameters.capacity)
    if used_before < parameters.alert_threshold <= used_after:
        from .notifications import capacity_alert

        capacity_alert(file, used_after, parameters)


# -- activation -----------------------------------------------------------------------------------------


def activate(*, file: GuaranteeRequest, acting_user, disbursed_on, disbursed_amount: Decimal) -> None:
    """The loan is disbursed: the guarantee covers what was lent, with its schedule and fee calendar."""
    if disbursed_amount > file.loan_amount:
        raise field_errors(
            {
                "disbursed_amount": [
                    (
                        _("At most the loan amount of %(amount)s.")
                        % {"amount": format_money(file.loan_amount)},
                        Code.DISBURSEMENT_ABOVE_LOAN,
                    )
                ]
            },
            code=Code.DISBURSEMENT_ABOVE_LOAN,
        )
    if disbursed_on > timezone.localdate():
        raise field_errors({"disbursed_on": [_("The disbursement date cannot be in the future.")]})
    if file.offered_at and disbursed_on < timezone.localdate(file.offered_at):
        raise field_errors({"disbursed_on": [_("The loan cannot be disbursed before the offer.")]})
    file.disbursed_on, file.disbursed_amount = disbursed_on, to_money(disbursed_amount)
    file.guaranteed_amount = calculations.guaranteed_part(disbursed_amount, file.coverage)
    lines = calculations.schedule(
        file.repayment_profile, file.disbursed_amount, file.interest_rate, file.duration_months, disbursed_on
    )
    ScheduleLine.objects.filter(request=file).delete()
    ScheduleLine.objects.bulk_create(
        ScheduleLine(
            request=file,
            number=line.number,
            due_date=line.due_date,
            principal=line.principal,
            interest=line.interest,
            outstanding_after=line.outstanding_after,
        )
        for line in lines
    )
    file.maturity_date = lines[-1].due_date
    period_months = file.parameters.fee_period_months if file.fee_frequency != "one_off" else None
    FeePeriod.objects.bulk_create(
        FeePeriod(request=file, starts_on=start, ends_on=end)
        for start, end in calculations.fee_periods(disbursed_on, file.duration_months, period_months)
    )
    if not is_lender(file, acting_user):
        record_event(
            target=file, event="acted_for_lender", acting_user=acting_user, parameters={"action": "activate"}
        )


# -- call, claim ----------------------------------------------------------------------------------------


def call(
    *, file: GuaranteeRequest, acting_user, default_date, outstanding_principal, arrears_amount, arrears_days
) -> None:
    parameters = file.parameters
    if arrears_days < parameters.call_after_arrears_days:
        _refuse(
            _("The guarantee may be called after %(days)s days of arrears; %(declared)s are declared.")
            % {"days": parameters.call_after_arrears_days, "declared": arrears_days},
            Code.CALL_TOO_EARLY,
        )
    errors = {}
    if default_date > timezone.localdate() or (file.disbursed_on and default_date < file.disbursed_on):
        errors["default_date"] = [_("The default date must fall between the disbursement and today.")]
    if outstanding_principal > file.disbursed_amount:
        errors["outstanding_principal"] = [
            _("At most the disbursed amount of %(amount)s.") % {"amount": format_money(file.disbursed_amount)}
        ]
    if errors:
        raise field_errors(errors)
    file.default_date, file.default_outstanding = default_date, outstanding_principal
    file.arrears_amount, file.arrears_days = arrears_amount, arrears_days
    file.claim_amount = claim_for(file)


def claim_for(file: GuaranteeRequest) -> Decimal:
    return calculations.claim_amount(
        coverage=file.coverage,
        outstanding_at_default=file.default_outstanding,
        annual_rate=file.interest_rate,
        arrears_days=file.arrears_days,
        covered_interest_days=file.parameters.interest_covered_days,
    )


def pay_claim(*, file: GuaranteeRequest, acting_user) -> PaymentOrder:
    """The claim, within the lender's loss cap (the fund never pays a lender more than that share of
    its guaranteed volume: the claim is paid up to what is left), by a payment order to the lender."""
    parameters = file.parameters
    lock_row(Fund.objects.filter(pk=parameters.fund_id))
    claim = claim_for(file)
    lender = selectors.lender_figures(file.lender_id)
    loss_cap = calculations.guaranteed_part(lender["volume"], parameters.lender_loss_cap)
    left = loss_cap - lender["paid"]
    if left <= 0:
        _refuse(
            _("The lender's loss cap of %(cap)s is reached: nothing remains for claims of this lender.")
            % {"cap": format_money(loss_cap)},
            Code.LENDER_CAP_EXCEEDED,
        )
    payout = min(claim, left)
    file.claim_amount, file.claim_paid_at = payout, timezone.now()
    lender_organisation = file.lender
    return create_payment_order(
        file=file,
        kind=PaymentOrder.Kind.GUARANTEE_CLAIM_PAYOUT,
        amount=payout,
        counterparty_name=lender_organisation.name,
        counterparty_iban=lender_organisation.iban,
        counterparty_bic=lender_organisation.bic,
        remittance_information=f"{file.reference} claim",
        due_date=timezone.localdate() + timedelta(days=30),
        created_by=acting_user,
    )


def reject_call(*, file: GuaranteeRequest, acting_user) -> None:
    file.claim_amount = None


# -- recoveries -----------------------------------------------------------------------------------------


@transaction.atomic
def report_recovery(
    *, acting_user, request: GuaranteeRequest, received_on, amount: Decimal, final: bool = False
) -> Recovery:
    """The lender reports an amount recovered; the fund's share (pro rata to the coverage) is owed
    back to it by a receivable payment order."""
    request = lock_file(GuaranteeRequest, request.pk)
    require(may_report_recovery(request, acting_user), file=request)
    errors = {}
    if amount < 0 or (amount == 0 and not final):
        errors["amount"] = [_("Report an amount recovered (zero only with the last recovery).")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise field_errors(errors)
    share = calculations.recovery_share(amount, request.coverage)
    order = None
    if share > 0:
        lender = request.lender
        order = create_payment_order(
            file=request,
            kind=PaymentOrder.Kind.RECOVERY_SHARE,
            amount=share,
            counterparty_name=lender.name,
            counterparty_iban=lender.iban,
            counterparty_bic=lender.bic,
            remittance_information=f"{request.reference} recovery",
            due_date=timezone.localdate() + timedelta(days=30),
            created_by=acting_user,
        )
    recovery = Recovery.objects.create(
        request=request,
        received_on=received_on,
        amount=to_money(amount),
        fund_share=share,
        payment_order=order,
        final=final,
        reported_by=acting_user,
    )
    record_event(
        target=request,
        event="recovery_reported",
        acting_user=acting_user,
        parameters={"amount": str(recovery.amount), "fund_share": str(share), "final": final},
    )
    return recovery


# -- lender declarations ------------------------------------------------------------------------------


def quarter_of(day):
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def quarter_end(quarter):
    return calculations.add_months(quarter, 3) - timedelta(days=1)


def declaration_errors(
    request: GuaranteeRequest | None, *, quarter, as_of, outstanding, arrears_amount, arrears_days
) -> dict:
    errors = {}
    if as_of is not None and not (quarter <= as_of <= quarter_end(quarter)):
        errors["as_of"] = [
            _("The date must fall within the quarter (%(start)s to %(end)s).")
            % {"start": formats.date_format(quarter), "end": formats.date_format(quarter_end(quarter))}
        ]
    if as_of is not None and as_of > timezone.localdate():
        errors["as_of"] = [_("The date cannot be in the future.")]
    for field, value in (
        ("outstanding_principal", outstanding),
        ("arrears_amount", arrears_amount),
        ("arrears_days", arrears_days),
    ):
        if value is not None and value < 0:
            errors[field] = [_("Cannot be negative.")]
    if (
        request is not None
        and outstanding is not None
        and request.disbursed_amount is not None
        and outstanding > request.disbursed_amount
    ):
        errors["outstanding_principal"] = [
            _("At most the disbursed amount of %(amount)s.")
            % {"amount": format_money(request.disbursed_amount)}
        ]
    return errors


def _save_declaration(request, *, acting_user, quarter, as_of, outstanding, arrears_amount, arrears_days):
    declaration, created = LenderDeclaration.objects.update_or_create(
        request=request,
        quarter=quarter,
        defaults={
            "as_of": as_of,
            "outstanding_principal": to_money(outstanding),
            "arrears_amount": to_money(arrears_amount),
            "arrears_days": arrears_days,
            "declared_by": acting_user,
        },
    )
    return declaration, created


@transaction.atomic
def declare(
    *,
    acting_user,
    request: GuaranteeRequest,
    as_of,
    outstanding_principal,
    arrears_amount=Decimal("0"),
    arrears_days=0,
) -> LenderDeclaration:
    """One loan's declaration for the quarter of `as_of`; a second one for that quarter replaces it."""
    request = lock_file(GuaranteeRequest, request.pk)
    require(may_declare(request, acting_user), file=request)
    quarter = quarter_of(as_of)
    errors = declaration_errors(
        request,
        quarter=quarter,
        as_of=as_of,
        outstanding=outstanding_principal,
        arrears_amount=arrears_amount,
        arrears_days=arrears_days,
    )
    if errors:
        raise field_errors(errors, code=Code.BAD_DECLARATION)
    declaration, created = _save_declaration(
        request,
        acting_user=acting_user,
        quarter=quarter,
        as_of=as_of,
        outstanding=outstanding_principal,
        arrears_amount=arrears_amount,
        arrears_days=arrears_days,
    )
    selectors.refresh_monitoring_flags([request.pk])
    record_event(
        target=request,
        event="balance_declared" if created else "declaration_replaced",
        acting_user=acting_user,
        parameters={
            "quarter": quarter,
            "outstanding_principal": str(declaration.outstanding_principal),
            "arrears_days": arrears_days,
        },
    )
    return declaration
