"""The guarantee request's state machine (SPEC §5), read top to bottom.

Each transition names who may perform it (a decision function of `permissions.py`), its conditions,
its parameters, its effect (a service of `services.py`, by dotted path, called by the shared
transition service inside the transaction) and whom it hands the ball to.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import Administration
from core.permissions import is_approver, is_officer
from core.workflow import transition

from .permissions import (
    has_a_risk_review,
    is_borrower,
    is_lender,
    lender_or_officer,
    may_decide,
    offer_expired,
    offer_still_valid,
    officer_or_scheduler,
    recoveries_settled,
)
from .states import WITHDRAWABLE, State

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2}


class SubmitForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Administration"),
        queryset=Administration.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("Only when the organisation's recognitions make several administrations competent."),
    )


class OfferForm(forms.Form):
    coverage = forms.DecimalField(
        label=_("Coverage (%)"), max_digits=5, decimal_places=2, min_value=1, max_value=100
    )
    fee_rate = forms.DecimalField(
        label=_("Fee rate (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Left empty: the rate of the scheme parameters in force."),
    )
    offer_expires_on = forms.DateField(
        label=_("Offer valid until"),
        required=False,
        help_text=_("Left empty: the validity of the scheme parameters in force; never longer."),
    )


class ActivateForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Disbursement date"))
    disbursed_amount = forms.DecimalField(label=_("Disbursed amount (EUR)"), min_value=0.01, **MONEY_FIELD)


class CallForm(forms.Form):
    default_date = forms.DateField(label=_("Default date"))
    outstanding_principal = forms.DecimalField(
        label=_("Outstanding principal at default (EUR)"), min_value=0, **MONEY_FIELD
    )
    arrears_amount = forms.DecimalField(label=_("Arrears (EUR)"), min_value=0, **MONEY_FIELD)
    arrears_days = forms.IntegerField(label=_("Days in arrears"), min_value=0, max_value=36500)


class GuaranteeWorkflow(models.Model):
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    # -- borrower submits, officer screens ------------------------------------------------------

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        label=_("Submit the request"),
        allowed=is_borrower,
        parameters=SubmitForm,
        effect="guarantees.services.submit_request",
        notify="guarantees.notifications.submitted",
    )
    def submit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.SCREENING,
        label=_("Start screening"),
        allowed=is_officer,
        notify="guarantees.notifications.to_borrower",
    )
    def start_screening(self, *, by, comment=""):
        self.screened_by = by

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.INFORMATION_REQUESTED,
        label=_("Request information"),
        allowed=is_officer,
        comment_required=True,
        notify="guarantees.notifications.to_borrower",
    )
    def request_information(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.INFORMATION_REQUESTED,
        target=State.SCREENING,
        label=_("Send the requested information"),
        allowed=is_borrower,
        effect="guarantees.services.require_complete_request",
        notify="guarantees.notifications.to_officers",
    )
    def answer(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.INELIGIBLE,
        label=_("Declare ineligible"),
        allowed=is_officer,
        comment_required=True,
        notify="guarantees.notifications.to_borrower",
    )
    def declare_ineligible(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.UNDER_REVIEW,
        label=_("Start the risk review"),
        allowed=is_officer,
        notify="guarantees.notifications.under_review",
    )
    def start_review(self, *, by, comment=""):
        pass

    # -- approver decides (four eyes), within the fund's capacity and the caps ------------------

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.OFFERED,
        label=_("Offer the guarantee"),
        allowed=may_decide,
        conditions=[has_a_risk_review],
        parameters=OfferForm,
        effect="guarantees.services.offer",
        summary="guarantees.decisions.offer_summary",
        notify="guarantees.notifications.offered",
    )
    def offer(self, *, by, comment=""):
        self.offered_by = by

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.REJECTED,
        label=_("Reject"),
        allowed=may_decide,
        conditions=[has_a_risk_review],
        comment_required=True,
        summary="guarantees.decisions.offer_summary",
        notify="guarantees.notifications.to_borrower_and_lender",
    )
    def reject(self, *, by, comment=""):
        pass

    # -- the offer: taken up by the loan's disbursement, or lapsed ------------------------------

    @transition(
        field=state,
        source=State.OFFERED,
        target=State.ACTIVE,
        label=_("Confirm the loan's disbursement"),
        allowed=lender_or_officer,
        conditions=[offer_still_valid],
        parameters=ActivateForm,
        effect="guarantees.services.activate",
        summary="guarantees.decisions.activation_summary",
        notify="guarantees.notifications.activated",
    )
    def activate(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.OFFERED,
        target=State.LAPSED,
        label=_("Lapse (offer not taken up in time)"),
        allowed=officer_or_scheduler,
        conditions=[offer_expired],
        notify="guarantees.notifications.to_borrower_and_lender",
    )
    def lapse(self, *, by, comment=""):
        pass

    # -- the running guarantee ------------------------------------------------------------------

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.RELEASED,
        label=_("Release (loan repaid)"),
        allowed=lender_or_officer,
        confirm=True,
        notify="guarantees.notifications.to_borrower_and_officers",
    )
    def release(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.CALLED,
        label=_("Call the guarantee"),
        allowed=is_lender,
        parameters=CallForm,
        effect="guarantees.services.call",
        summary="guarantees.decisions.call_summary",
        notify="guarantees.notifications.called",
    )
    def call(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.CALLED,
        target=State.CLAIM_PAID,
        label=_("Pay the claim"),
        allowed=may_decide,
        effect="guarantees.services.pay_claim",
        summary="guarantees.decisions.claim_summary",
        notify="guarantees.notifications.claim_paid",
    )
    def pay_claim(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.CALLED,
        target=State.ACTIVE,
        label=_("Reject the call"),
        allowed=may_decide,
        comment_required=True,
        effect="guarantees.services.reject_call",
        summary="guarantees.decisions.claim_summary",
        notify="guarantees.notifications.to_lender",
    )
    def reject_call(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.CLAIM_PAID,
        target=State.CLOSED,
        label=_("Close the file"),
        allowed=is_approver,
        conditions=[recoveries_settled],
        notify="guarantees.notifications.to_borrower_and_lender",
    )
    def close(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=WITHDRAWABLE,
        target=State.WITHDRAWN,
        label=_("Withdraw the request"),
        allowed=is_borrower,
        confirm=True,
        notify="guarantees.notifications.to_officers_if_submitted",
    )
    def withdraw(self, *, by, comment=""):
        pass
