"""Who may do what on a guarantee request, and why not: one decision function per action.

Transitions name theirs in `workflow.py`; the other actions (edit the draft, record the risk review,
declare a balance, report a recovery, get the offer letter or the certificate) are asked by the
services, the web views and the API alike. Each returns a `core.permissions.Decision`: `deny` (403,
not for this person) or `not_now` (409, not in this state), with a `GuaranteeErrorCode`.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.instruction import conflict_declared_first, free_of_conflict
from core.models import PaymentOrder
from core.permissions import (
    ALLOW,
    Decision,
    all_of,
    any_of,
    is_applicant,
    is_approver,
    is_officer,
    is_party,
    not_among,
    not_now,
)

from .error_codes import GuaranteeErrorCode
from .states import EDITABLE_STATES, RUNNING_STATES, State

is_borrower = is_applicant
is_lender = is_party("lender", reason=_("Only members of the lending institution may do this."))
lender_or_officer = any_of(is_lender, is_officer)


def not_the_preparer(guarantee, user) -> Decision:
    """Four eyes: neither the officer who screened the file nor the one who rated its risk decides."""
    return not_among(user, [guarantee.screened_by_id, guarantee.risk_reviewed_by_id])


# A declared conflict of interest takes an approver off the decision (core.instruction).
may_decide = all_of(is_approver, not_the_preparer, free_of_conflict)


def officer_or_scheduler(guarantee, user) -> Decision:
    """Lapsing is done by an officer, or by the scheduled job (which acts without a user)."""
    return ALLOW if user is None else is_officer(guarantee, user)


# -- conditions (no queries beyond CHECKS_PREFETCH: they run for every listed action) --------------


def has_a_risk_review(guarantee) -> Decision:
    if guarantee.risk_rating:
        return ALLOW
    return not_now(
        _("The risk review (rating, justification, recommendation) is needed before a decision."),
        GuaranteeErrorCode.RISK_REVIEW_REQUIRED,
    )


def offer_still_valid(guarantee) -> Decision:
    if guarantee.offer_has_expired:
        return not_now(
            _("The offer was valid until %(date)s: it can no longer be taken up.")
            % {"date": formats.date_format(guarantee.offer_expires_on)},
            GuaranteeErrorCode.OFFER_EXPIRED,
        )
    return ALLOW


def offer_expired(guarantee) -> Decision:
    if guarantee.offer_has_expired:
        return ALLOW
    return not_now(
        _("The offer is valid until %(date)s.")
        % {"date": formats.date_format(guarantee.offer_expires_on) if guarantee.offer_expires_on else "—"},
        GuaranteeErrorCode.OFFER_NOT_EXPIRED,
    )


SETTLED_ORDER_STATES = {PaymentOrder.State.PAID, PaymentOrder.State.CANCELLED}


def recoveries_settled(guarantee) -> Decision:
    """The lender reported its last recovery and every share it owes the fund has been paid."""
    recoveries = list(guarantee.recoveries.all())
    if not any(recovery.final for recovery in recoveries):
        return not_now(
            _("The lender has not reported its last recovery yet."), GuaranteeErrorCode.RECOVERIES_NOT_SETTLED
        )
    if any(
        r.payment_order is not None and r.payment_order.state not in SETTLED_ORDER_STATES for r in recoveries
    ):
        return not_now(
            _("The fund's share of a recovery has not been paid yet."),
            GuaranteeErrorCode.RECOVERIES_NOT_SETTLED,
        )
    return ALLOW


# -- other actions -------------------------------------------------------------------------------


def may_edit(guarantee, user) -> Decision:
    decision = is_borrower(guarantee, user)
    if not decision:
        return decision
    if guarantee.state not in EDITABLE_STATES:
        return not_now(
            _("The request can no longer be changed in this state."), GuaranteeErrorCode.NOT_EDITABLE
        )
    return ALLOW


def may_record_risk_review(guarantee, user) -> Decision:
    decision = is_officer(guarantee, user)
    if not decision:
        return decision
    if guarantee.state != State.UNDER_REVIEW:
        return not_now(
            _("The risk review is recorded while the request is under review."),
            GuaranteeErrorCode.NOT_UNDER_REVIEW,
        )
    return conflict_declared_first(guarantee, user)


def may_declare(guarantee, user) -> Decision:
    decision = is_lender(guarantee, user)
    if not decision:
        return decision
    if guarantee.state not in RUNNING_STATES:
        return not_now(_("Balances are declared while the guarantee runs."), GuaranteeErrorCode.NOT_RUNNING)
    return ALLOW


def may_report_recovery(guarantee, user) -> Decision:
    decision = is_lender(guarantee, user)
    if not decision:
        return decision
    if guarantee.state != State.CLAIM_PAID:
        return not_now(
            _("Recoveries are reported once the claim has been paid."), GuaranteeErrorCode.NOT_CLAIM_PAID
        )
    return ALLOW


def may_get_offer_letter(guarantee, user=None) -> Decision:
    if guarantee.offered_at is not None:
        return ALLOW
    return not_now(_("There is no offer letter: no guarantee has been offered."), GuaranteeErrorCode.NO_OFFER)


def may_get_certificate(guarantee, user=None) -> Decision:
    if guarantee.disbursed_on is not None:
        return ALLOW
    return not_now(
        _("There is no certificate: the guarantee is not active yet."), GuaranteeErrorCode.NOT_ACTIVE_YET
    )


def today():
    return timezone.localdate()
