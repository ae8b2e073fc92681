"""The guarantee request's states and the groups of states the rules, lists and the portfolio ask about.

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
    OFFERED = "offered", _("Offered")
    REJECTED = "rejected", _("Rejected")
    LAPSED = "lapsed", _("Lapsed")
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    CALLED = "called", _("Called")
    CLAIM_PAID = "claim_paid", _("Claim paid")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The borrower may still change the request (a draft, or an answer to an information request).
EDITABLE_STATES = frozenset({State.DRAFT, State.INFORMATION_REQUESTED})

# Before a decision: the borrower may withdraw.
WITHDRAWABLE = [
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.INFORMATION_REQUESTED,
    State.UNDER_REVIEW,
]

# States whose guarantee weighs on the fund: offered (the whole guaranteed amount) and running
# (the outstanding guaranteed amount). Lapse, rejection, release and closure free it.
EXPOSED_STATES = [State.OFFERED, State.ACTIVE, State.CALLED]
RUNNING_STATES = [State.ACTIVE, State.CALLED]

# Guarantees whose aid was granted (or is about to be, once offered): what de minimis counts.
AID_STATES = [State.OFFERED, State.ACTIVE, State.RELEASED, State.CALLED, State.CLAIM_PAID, State.CLOSED]

# Nothing more will happen to these files.
FINISHED = [State.INELIGIBLE, State.REJECTED, State.LAPSED, State.RELEASED, State.CLOSED, State.WITHDRAWN]

# Files waiting on the administration's staff: what the work queue lists.
AWAITING_STAFF = [
    State.SUBMITTED,
    State.SCREENING,
    State.UNDER_REVIEW,
    State.CALLED,
    State.CLAIM_PAID,
]

# The main path of a file, shown as its progress.
MAIN_PATH = [
    State.DRAFT,
    State.SUBMITTED,
    State.SCREENING,
    State.UNDER_REVIEW,
    State.OFFERED,
    State.ACTIVE,
    State.RELEASED,
]
