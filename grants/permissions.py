"""Who may do what on a grant application, and why not: one decision function per action.

Transitions name theirs in `workflow.py`; the other actions (edit the draft, record a review, file a
report, get the receipt or the award letter) are asked by the services, the web views and the API
alike, so the web and the API never answer differently. Each returns a `core.permissions.Decision`:
`deny` (403, not for this person) or `not_now` (409, not in this state), with a `GrantErrorCode`.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import has_staff_role
from core.instruction import conflict_declared_first, free_of_conflict
from core.permissions import (
    ALLOW,
    Decision,
    all_of,
    deny,
    is_applicant,
    is_approver,
    is_officer,
    not_among,
    not_now,
)

from .error_codes import GrantErrorCode
from .states import EDITABLE_STATES, State

# -- transitions ---------------------------------------------------------------------------------


def not_the_preparer(application, user) -> Decision:
    """Four eyes: neither the officer who screened the file nor the author of its only review decides."""
    preparers = [application.screened_by_id]
    reviewer_ids = [review.reviewer_id for review in application.reviews.all()]
    if len(reviewer_ids) == 1:
        preparers.extend(reviewer_ids)
    return not_among(user, preparers)


# A declared conflict of interest takes an approver off the decision (core.instruction).
may_decide = all_of(is_approver, not_the_preparer, free_of_conflict)


def officer_or_scheduler(application, user) -> Decision:
    """Lapsing is done by an officer, or by the scheduled job (which acts without a user)."""
    return ALLOW if user is None else is_officer(application, user)


# -- conditions (no queries beyond what the file page has loaded: they run for every action) -------


def has_a_review(application) -> Decision:
    if any(True for _review in application.reviews.all()):
        return ALLOW
    return not_now(_("At least one review is needed before a decision."), GrantErrorCode.REVIEW_REQUIRED)


def acceptance_deadline_open(application) -> Decision:
    """An award is accepted by its deadline; after it, only lapsing remains (even before the nightly job)."""
    deadline = application.acceptance_deadline
    if deadline is not None and timezone.localdate() > deadline:
        return not_now(
            _("The award had to be accepted by %(deadline)s: it can no longer be accepted.")
            % {"deadline": formats.date_format(deadline)},
            GrantErrorCode.ACCEPTANCE_DEADLINE_PASSED,
        )
    return ALLOW


def acceptance_deadline_passed(application) -> Decision:
    """An award lapses only once the applicant's time to accept is over."""
    deadline = application.acceptance_deadline
    if deadline is not None and deadline < timezone.localdate():
        return ALLOW
    return not_now(
        _("The applicant may still accept the award until %(deadline)s.")
        % {"deadline": formats.date_format(deadline) if deadline else "—"},
        GrantErrorCode.ACCEPTANCE_DEADLINE_NOT_PASSED,
    )


# -- other actions -------------------------------------------------------------------------------


def may_edit(application, user) -> Decision:
    """Change the draft (or the file, while it awaits the requested information)."""
    decision = is_applicant(application, user)
    if not decision:
        return decision
    if application.state not in EDITABLE_STATES:
        return not_now(
            _("The application can no longer be changed in this state."), GrantErrorCode.NOT_EDITABLE
        )
    return ALLOW


def may_record_review(application, user) -> Decision:
    decision = is_officer(application, user)
    if not decision:
        return decision
    if application.state != State.UNDER_REVIEW:
        return not_now(
            _("Reviews are recorded while the application is under review."), GrantErrorCode.NOT_UNDER_REVIEW
        )
    return conflict_declared_first(application, user)


def may_read_reviews(application, user) -> Decision:
    if has_staff_role(user, application.administration_id):
        return ALLOW
    return deny(
        _("Only staff of the file's administration may read its reviews."), GrantErrorCode.REVIEWS_FOR_STAFF
    )


def may_file_report(application, user) -> Decision:
    decision = is_applicant(application, user)
    if not decision:
        return decision
    if application.state != State.IN_PROGRESS:
        return not_now(_("Reports are filed while the grant is in progress."), GrantErrorCode.NOT_IN_PROGRESS)
    return ALLOW


def may_get_receipt(application, user=None) -> Decision:
    """Anyone who sees the file, once it has been submitted."""
    if application.reference and application.submitted_at:
        return ALLOW
    return not_now(
        _("There is no receipt yet: the application has not been submitted."), GrantErrorCode.NO_RECEIPT_YET
    )


def may_get_award_letter(application, user=None) -> Decision:
    if application.awarded_amount is not None:
        return ALLOW
    return not_now(_("There is no award letter: the grant has not been awarded."), GrantErrorCode.NOT_AWARDED)
