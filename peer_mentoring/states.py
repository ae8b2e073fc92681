"""The states of a mentoring agreement and of a monthly hours declaration, and the groups of states
the rules, lists and the work queue ask about (SPEC §6). A module of its own, so that models,
workflow, rules, services and selectors all import it without importing one another."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    SUBMITTED = "submitted", _("Submitted")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclarationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed")
    CONTESTED = "contested", _("Contested")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


class MentorState(models.TextChoices):
    ACTIVE = "active", _("Active mentor")
    SUSPENDED = "suspended", _("Suspended")


class MentorApplicationState(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


AGREEMENT_WITHDRAWABLE = [AgreementState.DRAFT, AgreementState.PROPOSED, AgreementState.SUBMITTED]
AGREEMENT_FINISHED = [
    AgreementState.REJECTED,
    AgreementState.COMPLETED,
    AgreementState.TERMINATED,
    AgreementState.WITHDRAWN,
]
AGREEMENT_MAIN_PATH = [
    AgreementState.DRAFT,
    AgreementState.PROPOSED,
    AgreementState.SUBMITTED,
    AgreementState.ACTIVE,
    AgreementState.COMPLETED,
]
# Agreements waiting on the administration's staff (the work queue).
AGREEMENT_AWAITING_STAFF = [AgreementState.SUBMITTED]

# The mentor may still change the lines.
DECLARATION_EDITABLE = frozenset({DeclarationState.DRAFT, DeclarationState.CONTESTED})
# Hours that count against the agreement's cap: validated, and pending a decision.
DECLARATION_PENDING = [DeclarationState.SUBMITTED, DeclarationState.CONFIRMED, DeclarationState.CONTESTED]
DECLARATION_COUNTING = [*DECLARATION_PENDING, DeclarationState.VALIDATED]
DECLARATION_FINISHED = [DeclarationState.VALIDATED, DeclarationState.REJECTED]
DECLARATION_MAIN_PATH = [
    DeclarationState.DRAFT,
    DeclarationState.SUBMITTED,
    DeclarationState.CONFIRMED,
    DeclarationState.VALIDATED,
]
DECLARATION_AWAITING_STAFF = [DeclarationState.CONFIRMED]
