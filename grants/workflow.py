"""The grant application's state machine (SPEC §4), read top to bottom.

Each transition names who may perform it, what it needs (comment, parameters) and whom it hands the
ball to; the shared service `core.workflow.perform_transition` checks, locks, saves and records it.
The money side effects (envelope reservation, payment orders) live in `grants.services`.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import Administration
from core.permissions import ALLOW, all_of, is_applicant, is_approver, is_officer, not_among
from core.workflow import transition

from .states import RESERVING, WITHDRAWABLE, State  # noqa: F401  (re-exported)


def not_the_preparer(application, user):
    """Four eyes: neither the officer who screened the file nor the author of its only review decides."""
    preparers = [application.screened_by_id]
    reviewer_ids = [review.reviewer_id for review in application.reviews.all()]
    if len(reviewer_ids) == 1:
        preparers.extend(reviewer_ids)
    return not_among(user, preparers)


may_decide = all_of(is_approver, not_the_preparer)


def acceptance_deadline_passed(application) -> bool:
    """An award lapses only once the applicant's time to accept is over (no query: listed often)."""
    from django.utils import timezone

    deadline = application.acceptance_deadline
    return deadline is not None and deadline < timezone.localdate()


def officer_or_scheduler(application, user):
    """Lapsing is done by an officer, or by the scheduled job (which acts without a user)."""
    return ALLOW if user is None else is_officer(application, user)


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
        notify="grants.notifications.to_officers",
    )
    def submit(self, *, by, comment="", administration=None):
        from .services import submit_application

        submit_application(self, administration=administration)

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.SCREENING,
        label=_("Start screening"),
        allowed=is_officer,
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
        notify="grants.notifications.to_officers",
    )
    def resubmit(self, *, by, comment=""):
        from .rules import check_completeness

        check_completeness(self, during_call=False)

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
        notify="grants.notifications.to_reviewers",
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
        parameters=ApproveForm,
        notify="grants.notifications.to_applicants",
    )
    def approve(self, *, by, comment="", awarded_amount):
        from .services import award

        award(self, amount=awarded_amount)

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.REJECTED,
        label=_("Reject"),
        allowed=may_decide,
        comment_required=True,
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
        confirm=True,
        notify="grants.notifications.to_finance",
    )
    def accept(self, *, by, comment=""):
        from .services import check_acceptance_deadline, order_advance

        check_acceptance_deadline(self)
        order_advance(self, by=by)

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.LAPSED,
        label=_("Lapse (not accepted in time)"),
        allowed=officer_or_scheduler,
        conditions=[acceptance_deadline_passed],
        notify="grants.notifications.to_applicants",
    )
    def lapse(self, *, by, comment=""):
        from .services import release_reservation

        release_reservation(self)

    # -- reporting and closure ------------------------------------------------------------------

    @transition(
        field=state,
        source=State.IN_PROGRESS,
        target=State.FINAL_REPORT_SUBMITTED,
        label=_("Submit the final report"),
        allowed=is_applicant,
        notify="grants.notifications.to_officers",
    )
    def submit_final_report(self, *, by, comment=""):
        from .services import check_final_report

        check_final_report(self)

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
        notify="grants.notifications.to_applicants",
    )
    def close(self, *, by, comment="", accepted_expenses):
        from .services import settle

        settle(self, accepted_expenses=accepted_expenses, by=by, terminated=False)

    @transition(
        field=state,
        source=State.IN_PROGRESS,
        target=State.TERMINATED,
        label=_("Terminate"),
        allowed=is_approver,
        comment_required=True,
        parameters=AcceptedExpensesForm,
        notify="grants.notifications.to_applicants",
    )
    def terminate(self, *, by, comment="", accepted_expenses):
        from .services import settle

        settle(self, accepted_expenses=accepted_expenses, by=by, terminated=True)

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
