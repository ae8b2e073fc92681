"""The grant application's state machine (SPEC §4), read top to bottom.

Each transition names who may perform it (a decision function of `permissions.py`), the conditions
it needs, its parameters, its effect (a service of `services.py`, named by its dotted path, which the
shared transition service calls inside the transaction) and whom it hands the ball to. The states
and their groups live in `states.py`; models never call services.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import Administration
from core.permissions import is_applicant, is_approver, is_officer
from core.workflow import transition

from .permissions import (
    acceptance_deadline_open,
    acceptance_deadline_passed,
    has_a_review,
    may_decide,
    officer_or_scheduler,
)
from .states import RESERVING, WITHDRAWABLE, State  # noqa: F401  (re-exported)


class SubmitForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Administration"),
        queryset=Administration.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("Only when the organisation's recognitions make several administrations competent."),
    )


class ApproveForm(forms.Form):
    awarded_amount = forms.DecimalField(
        label=_("Awarded amount (EUR)"), max_digits=14, decimal_places=2, min_value=0.01
    )


class AcceptedExpensesForm(forms.Form):
    accepted_expenses = forms.DecimalField(
        label=_("Accepted expenses (EUR)"), max_digits=14, decimal_places=2, min_value=0
    )


class GrantWorkflow(models.Model):
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    # -- applicant submits, officer screens ------------------------------------------------------

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        label=_("Submit the application"),
        allowed=is_applicant,
        parameters=SubmitForm,
        effect="grants.services.submit_application",
        summary="grants.decisions.submission_summary",
        notify="grants.notifications.submitted",
    )
    def submit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.SCREENING,
        label=_("Start screening"),
        allowed=is_officer,
        notify="grants.notifications.to_applicants",
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
        notify="grants.notifications.to_applicants",
    )
    def request_information(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.INFORMATION_REQUESTED,
        target=State.SCREENING,
        label=_("Send the requested information"),
        allowed=is_applicant,
        effect="grants.services.require_complete_answer",
        notify="grants.notifications.to_officers",
    )
    def resubmit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.INELIGIBLE,
        label=_("Declare ineligible"),
        allowed=is_officer,
        comment_required=True,
        notify="grants.notifications.to_applicants",
    )
    def declare_ineligible(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.UNDER_REVIEW,
        label=_("Admit for review"),
        allowed=is_officer,
        notify="grants.notifications.admitted",
    )
    def admit(self, *, by, comment=""):
        pass

    # -- approver decides (four eyes), within the envelope ---------------------------------------

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.APPROVED,
        label=_("Award the grant"),
        allowed=may_decide,
        conditions=[has_a_review],
        parameters=ApproveForm,
        effect="grants.services.award",
        summary="grants.decisions.approval_summary",
        notify="grants.notifications.awarded",
    )
    def approve(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.REJECTED,
        label=_("Reject"),
        allowed=may_decide,
        conditions=[has_a_review],
        comment_required=True,
        summary="grants.decisions.approval_summary",
        notify="grants.notifications.to_applicants",
    )
    def reject(self, *, by, comment=""):
        from django.utils import timezone

        self.decided_at = timezone.now()

    # -- the award: accepted, or lapsed -----------------------------------------------------------

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.IN_PROGRESS,
        label=_("Accept the grant"),
        allowed=is_applicant,
        conditions=[acceptance_deadline_open],
        confirm=True,
        effect="grants.services.accept_award",
        summary="grants.decisions.acceptance_summary",
        notify="grants.notifications.to_finance",
    )
    def accept(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.LAPSED,
        label=_("Lapse (not accepted in time)"),
        allowed=officer_or_scheduler,
        conditions=[acceptance_deadline_passed],
        effect="grants.services.release_reservation",
        notify="grants.notifications.to_applicants",
    )
    def lapse(self, *, by, comment=""):
        pass

    # -- reporting and closure ------------------------------------------------------------------

    @transition(
        field=state,
        source=State.IN_PROGRESS,
        target=State.FINAL_REPORT_SUBMITTED,
        label=_("Submit the final report"),
        allowed=is_applicant,
        effect="grants.services.require_final_report",
        notify="grants.notifications.to_officers",
    )
    def submit_final_report(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.FINAL_REPORT_SUBMITTED,
        target=State.IN_PROGRESS,
        label=_("Ask for changes to the report"),
        allowed=is_officer,
        comment_required=True,
        notify="grants.notifications.to_applicants",
    )
    def request_report_changes(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.FINAL_REPORT_SUBMITTED,
        target=State.CLOSED,
        label=_("Close and settle"),
        allowed=is_approver,
        parameters=AcceptedExpensesForm,
        effect="grants.services.settle",
        notify="grants.notifications.settled",
    )
    def close(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.IN_PROGRESS,
        target=State.TERMINATED,
        label=_("Terminate"),
        allowed=is_approver,
        comment_required=True,
        parameters=AcceptedExpensesForm,
        effect="grants.services.settle",
        notify="grants.notifications.settled",
    )
    def terminate(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=WITHDRAWABLE,
        target=State.WITHDRAWN,
        label=_("Withdraw the application"),
        allowed=is_applicant,
        confirm=True,
        notify="grants.notifications.to_officers_if_submitted",
    )
    def withdraw(self, *, by, comment=""):
        pass
