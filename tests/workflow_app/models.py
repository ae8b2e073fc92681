from django import forms
from django.db import models
from django_fsm import FSMField

from core.models import WorkflowFile
from core.notifications import members_of, notify, staff_of
from core.permissions import all_of, is_applicant, is_approver, is_officer, not_among
from core.scope import Party
from core.submission import prepare_submission
from core.workflow import TransitionRefused, transition


class AwardForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=1)


def may_decide(file, user):
    return all_of(is_approver, lambda f, u: not_among(u, [f.screened_by_id]))(file, user)


def notify_officers(file, entry):
    notify(
        recipients=staff_of(file.administration_id, "officer"),
        subject="File %(reference)s submitted",
        body="File %(reference)s awaits screening.",
        context={"reference": file.reference},
        link=f"/samples/{file.pk}/",
    )


def notify_applicants(file, entry):
    notify(
        recipients=members_of(file.acting_organisation_ids()),
        subject="Information requested on %(reference)s",
        body="%(comment)s",
        context={"reference": file.reference, "comment": entry.comment},
    )


def submit_sample(*, file, acting_user):
    prepare_submission(file, organisation=file.organisation, scheme_code="grants")


def award_sample(*, file, acting_user, amount):
    if amount > 100000:
        raise TransitionRefused("The envelope cannot cover this amount.", code="envelope_exhausted")
    file.awarded_amount = amount


class SampleFile(WorkflowFile):
    REFERENCE_PREFIX = "TST"
    PARTIES = (Party("applicant", "organisation"),)

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SCREENING = "screening", "Screening"
        INFORMATION_REQUESTED = "information_requested", "Information requested"
        APPROVED = "approved", "Approved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100, default="Sample")
    screened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        label="Submit",
        allowed=is_applicant,
        notify=notify_officers,
        effect=submit_sample,
    )
    def submit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.SCREENING,
        label="Start screening",
        allowed=is_officer,
    )
    def start_screening(self, *, by, comment=""):
        self.screened_by = by

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.INFORMATION_REQUESTED,
        label="Request information",
        allowed=is_officer,
        comment_required=True,
        notify=notify_applicants,
    )
    def request_information(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.INFORMATION_REQUESTED,
        target=State.SCREENING,
        label="Resubmit",
        allowed=is_applicant,
    )
    def resubmit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.APPROVED,
        label="Approve",
        allowed=may_decide,
        parameters=AwardForm,
        effect=award_sample,
    )
    def approve(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.SCREENING, State.INFORMATION_REQUESTED],
        target=State.WITHDRAWN,
        label="Withdraw",
        allowed=is_applicant,
    )
    def withdraw(self, *, by, comment=""):
        pass

    def get_absolute_url(self) -> str:
        return f"/samples/{self.pk}/"
