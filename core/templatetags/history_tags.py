"""The history of something that is not a workflow file (an organisation), for its page."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from accounts.models import RecognitionAuthority
from core.audit import event_label
from core.models import HistoryEntry

register = template.Library()


def _label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _shown(model, name: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _details(model, entry: HistoryEntry, authorities: dict) -> list[str]:
    parameters = entry.parameters or {}
    if entry.transition == "organisation_changed":
        lines = []
        for name, change in sorted((parameters.get("changes") or {}).items()):
            if "before" in change:
                before, after = _shown(model, name, change["before"]), _shown(model, name, change["after"])
                lines.append(f"{_label(model, name)}: {before} → {after}")
            else:
                lines.append(_label(model, name))
        return lines
    if entry.transition == "enterprise_number_corrected":
        return [f"{parameters.get('before', '')} → {parameters.get('after', '')}"]
    if "reference" in parameters:
        authority = authorities.get(parameters.get("authority"), parameters.get("authority", ""))
        return [f"{authority} {parameters['reference']}".strip()]
    return []


@register.simple_tag
def history_of(target) -> list[dict]:
    """[{"entry", "label", "details"}] oldest first; the caller has checked who may see the page."""
    model = type(target)
    entries = list(HistoryEntry.objects.for_file(target).select_related("actor"))
    authorities = {}
    if any("authority" in (entry.parameters or {}) for entry in entries):
        authorities = {authority.code: authority.name for authority in RecognitionAuthority.objects.all()}
    return [
        {
            "entry": entry,
            "label": event_label(entry.transition) or entry.transition,
            "details": _details(model, entry, authorities),
        }
        for entry in entries
    ]
