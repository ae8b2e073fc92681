"""Every write leaves a trace: the append-only history row for writes that are not transitions.

Transitions write their row in `core.workflow.perform_transition`. Everything else (a draft saved,
a review recorded, a report filed, a document uploaded, an organisation changed, a recognition
verified, an export of personal data) calls `record_event` inside the same transaction as the
change, so the trace and the change commit or roll back together.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# Event names stored in `HistoryEntry.transition`, with the label the history shows.
EVENT_LABELS = {
    "draft_saved": _("Draft saved"),
    "review_recorded": _("Review recorded"),
    "review_changed": _("Review changed"),
    "report_filed": _("Report filed"),
    "document_uploaded": _("Document uploaded"),
    "document_replaced": _("Document replaced"),
    "document_deleted": _("Document deleted"),
    "organisation_created": _("Organisation created"),
    "message_sent": _("Message sent"),
    "note_added": _("Internal note added"),
    "assigned": _("Assigned to an officer"),
    "sepa_exported": _("SEPA file exported"),
    "personal_data_exported": _("Personal data exported"),
    "sepa_downloaded": _("SEPA file downloaded again"),
    "unassigned": _("Assignment removed"),
    "review_requested": _("Review requested"),
    "conflict_declared": _("Conflict of interest declared"),
    "no_conflict_declared": _("No conflict of interest declared"),
    "organisation_changed": _("Organisation data changed"),
    "enterprise_number_corrected": _("Enterprise number corrected"),
    "recognition_added": _("Recognition added"),
    "recognition_verified": _("Recognition verified"),
}


def register_event(name: str, label) -> None:
    """Schemes add their own event names (with a translatable label) at start-up."""
    EVENT_LABELS.setdefault(name, label)


def event_label(name: str):
    return EVENT_LABELS.get(name)


def _state_of(target: models.Model) -> str:
    from .workflow import state_field

    try:
        return str(getattr(target, state_field(type(target)).name))
    except TypeError:  # not a workflow file (an organisation, a recognition)
        return ""


def record_event(
    *,
    target: models.Model,
    event: str,
    acting_user,
    parameters: dict | None = None,
    comment: str = "",
    staff_only: bool = False,
):
    """Append one history row about `target`; the state stays what it is (from = to)."""
    from .models import HistoryEntry
    from .workflow import _json_safe

    if event not in EVENT_LABELS:
        raise ValueError(f"Unknown history event {event!r}: register it with core.audit.register_event.")
    state = _state_of(target)
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
        transition=event,
        source_state=state,
        target_state=state,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        comment=comment,
        parameters=_json_safe(parameters or {}),
        staff_only=staff_only,
    )


def changed_fields(before: dict, after: dict) -> list[str]:
    """The names whose values differ (what a `draft_saved` or `organisation_changed` row lists)."""
    return sorted(name for name in after if before.get(name) != after.get(name))
