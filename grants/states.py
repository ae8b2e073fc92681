"""The grant application's states and the groups of states the rules, lists and exports ask about.

A module of its own, so that models, workflow, rules, services and selectors all import it without
importing one another.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    INELIGIBLE = "ineligible", _("Ineligible")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    LAPSED = "lapsed", _("Lapsed")
    FINAL_REPORT_SUBMITTED = "final_report_submitted", _("Final report submitted")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The applicant may still change the file's content (a draft, or an answer to an information request).
EDITABLE_STATES = frozenset({State.DRAFT, State.INFORMATION_REQUESTED})

WITHDRAWABLE = [
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.INFORMATION_REQUESTED,
    State.UNDER_REVIEW,
]

# States in which the award is reserved on the call's envelope.
RESERVING = [State.APPROVED, State.IN_PROGRESS, State.FINAL_REPORT_SUBMITTED, State.CLOSED, State.TERMINATED]

# Files whose award stands (or stood): what the open data publishes. A lapsed award was never taken up.
AWARDED_STATES = [
    State.APPROVED,
    State.IN_PROGRESS,
    State.FINAL_REPORT_SUBMITTED,
    State.CLOSED,
    State.TERMINATED,
]

# Nothing more will happen to these files.
FINISHED = [State.INELIGIBLE, State.REJECTED, State.LAPSED, State.CLOSED, State.TERMINATED, State.WITHDRAWN]

# Files waiting on the administration's staff: what the work queue lists.
AWAITING_STAFF = [
    State.SUBMITTED,
    State.SCREENING,
    State.INFORMATION_REQUESTED,
    State.UNDER_REVIEW,
    State.APPROVED,
    State.FINAL_REPORT_SUBMITTED,
]

# The main path of a file, shown as its progress (side exits are shown as the last step reached).
MAIN_PATH = [
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.UNDER_REVIEW,
    State.APPROVED,
    State.IN_PROGRESS,
    State.FINAL_REPORT_SUBMITTED,
    State.CLOSED,
]
