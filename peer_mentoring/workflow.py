"""The state machines of a mentoring agreement and of a monthly hours declaration (SPEC §6), read
top to bottom. Each transition names who may perform it, its parameters, its effect (a service of
`services.py`, by dotted path) and whom it hands the ball to (`notifications.py`)."""

from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import Administration
from core.workflow import transition

from .choices import Usefulness
from .permissions import (
    approver_or_either_side,
    is_either_side,
    is_mentee_side,
    is_mentor_side,
    is_the_other_side,
    may_decide,
)
from .states import AGREEMENT_WITHDRAWABLE, AgreementState, DeclarationState


class ProposeForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Administration"),
        queryset=Administration.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("Only when the mentee's recognitions make several administrations competent."),
    )


class ApproveAgreementForm(forms.Form):
    """Rate and cap; left empty, the programme's defaults apply."""

    hourly_rate = forms.DecimalField(
        label=_("Hourly rate (EUR)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Empty: the programme's default rate."),
    )
    hours_cap = forms.DecimalField(
        label=_("Hours cap"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.25"),
        required=False,
        help_text=_("Empty: the programme's default cap."),
    )


class EvaluationForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the mentoring?"), choices=Usefulness.choices, coerce=int
    )
    pooled = forms.CharField(
        label=_("What did you pool or set up thanks to it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
    )
    would_recommend = forms.BooleanField(label=_("I would recommend this mentor"), required=False)


class AgreementWorkflow(models.Model):
    state = FSMField(_("state"), default=AgreementState.DRAFT, choices=AgreementState.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=AgreementState.DRAFT,
        target=AgreementState.PROPOSED,
        label=_("Propose the agreement"),
        allowed=is_either_side,
        parameters=ProposeForm,
        effect="peer_mentoring.services.propose_agreement",
        summary="peer_mentoring.decisions.agreement_summary",
        notify="peer_mentoring.notifications.agreement_proposed",
    )
    def propose(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=AgreementState.PROPOSED,
        target=AgreementState.SUBMITTED,
        label=_("Confirm the agreement"),
        allowed=is_the_other_side,
        effect="peer_mentoring.services.check_agreement",
        summary="peer_mentoring.decisions.agreement_summary",
        notify="peer_mentoring.notifications.agreement_to_approvers",
    )
    def confirm(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=AgreementState.SUBMITTED,
        target=AgreementState.ACTIVE,
        label=_("Approve the agreement"),
        allowed=may_decide,
        parameters=ApproveAgreementForm,
        effect="peer_mentoring.services.approve_agreement",
        summary="peer_mentoring.decisions.agreement_approval_summary",
        notify="peer_mentoring.notifications.agreement_to_parties",
    )
    def approve(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=AgreementState.SUBMITTED,
        target=AgreementState.REJECTED,
        label=_("Reject the agreement"),
        allowed=may_decide,
        comment_required=True,
        summary="peer_mentoring.decisions.agreement_summary",
        notify="peer_mentoring.notifications.agreement_to_parties",
    )
    def reject(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=AgreementState.ACTIVE,
        target=AgreementState.COMPLETED,
        label=_("Complete the agreement, with your evaluation"),
        allowed=is_mentee_side,
        parameters=EvaluationForm,
        effect="peer_mentoring.services.complete_agreement",
        summary="peer_mentoring.decisions.agreement_summary",
        notify="peer_mentoring.notifications.agreement_to_parties",
    )
    def complete(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=AgreementState.ACTIVE,
        target=AgreementState.TERMINATED,
        label=_("Terminate the agreement"),
        allowed=approver_or_either_side,
        comment_required=True,
        confirm=True,
        summary="peer_mentoring.decisions.agreement_summary",
        notify="peer_mentoring.notifications.agreement_to_parties",
    )
    def terminate(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=AGREEMENT_WITHDRAWABLE,
        target=AgreementState.WITHDRAWN,
        label=_("Withdraw the agreement"),
        allowed=is_either_side,
        confirm=True,
        notify="peer_mentoring.notifications.agreement_to_parties",
    )
    def withdraw(self, *, by, comment=""):
        pass


class DeclarationWorkflow(models.Model):
    state = FSMField(
        _("state"), default=DeclarationState.DRAFT, choices=DeclarationState.choices, protected=True
    )

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=DeclarationState.DRAFT,
        target=DeclarationState.SUBMITTED,
        label=_("Submit the declaration"),
        allowed=is_mentor_side,
        effect="peer_mentoring.services.submit_declaration",
        summary="peer_mentoring.decisions.declaration_summary",
        notify="peer_mentoring.notifications.declaration_to_mentee",
    )
    def submit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=DeclarationState.SUBMITTED,
        target=DeclarationState.CONFIRMED,
        label=_("Confirm the hours"),
        allowed=is_mentee_side,
        summary="peer_mentoring.decisions.declaration_summary",
        notify="peer_mentoring.notifications.declaration_to_approvers",
    )
    def confirm(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=DeclarationState.SUBMITTED,
        target=DeclarationState.CONTESTED,
        label=_("Contest the hours"),
        allowed=is_mentee_side,
        comment_required=True,
        summary="peer_mentoring.decisions.declaration_summary",
        notify="peer_mentoring.notifications.declaration_to_mentor",
    )
    def contest(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=DeclarationState.CONTESTED,
        target=DeclarationState.SUBMITTED,
        label=_("Resubmit the declaration"),
        allowed=is_mentor_side,
        effect="peer_mentoring.services.submit_declaration",
        summary="peer_mentoring.decisions.declaration_summary",
        notify="peer_mentoring.notifications.declaration_to_mentee",
    )
    def resubmit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=DeclarationState.CONFIRMED,
        target=DeclarationState.VALIDATED,
        label=_("Validate the hours"),
        allowed=may_decide,
        confirm=True,
        effect="peer_mentoring.services.validate",
        summary="peer_mentoring.decisions.validation_summary",
        notify="peer_mentoring.notifications.declaration_to_mentor",
    )
    def validate(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=DeclarationState.CONFIRMED,
        target=DeclarationState.REJECTED,
        label=_("Reject the declaration"),
        allowed=may_decide,
        comment_required=True,
        summary="peer_mentoring.decisions.validation_summary",
        notify="peer_mentoring.notifications.declaration_to_mentor",
    )
    def reject(self, *, by, comment=""):
        pass
