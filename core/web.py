"""Web side of the shared workflow: the actions panel, the history, and one view that performs a
transition from a form. Each scheme's file page includes the panel; its URLconf routes
`<file>/transitions/<name>/` to a subclass of `TransitionView` that says how to find files in scope."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .audit import event_label
from .exceptions import InvalidInput
from .models import DocumentType, HistoryEntry
from .permissions import require
from .workflow import (
    available_transitions,
    perform_transition,
    state_field,
    transition_specs,
    unavailable_transitions,
)


def workflow_progress(file, history: list) -> list[dict]:
    """Where the file stands on its main path (`PROGRESS_STEPS` of the file type): each step done,
    current or upcoming; a side exit (information requested, rejected, withdrawn...) is shown as the
    current step after the last main step reached."""
    steps = [str(step) for step in getattr(type(file), "PROGRESS_STEPS", ())]
    if not steps:
        return []
    labels = dict(state_field(type(file)).flatchoices)
    current = str(getattr(file, state_field(type(file)).name))
    if current in steps:
        position = steps.index(current)
        return [
            {
                "label": labels.get(step, step),
                "status": "done" if i < position else "current" if i == position else "upcoming",
            }
            for i, step in enumerate(steps)
        ]
    reached = 0
    for row in history:
        for state in (row["entry"].source_state, row["entry"].target_state):
            if state in steps:
                reached = max(reached, steps.index(state))
    done = [{"label": labels.get(step, step), "status": "done"} for step in steps[: reached + 1]]
    return [*done, {"label": labels.get(current, current), "status": "current"}]


def workflow_panel_context(file, user) -> dict:
    """What `core/includes/workflow_panel.html` needs: available actions (with their forms), the
    actions the person would normally take but cannot now (with the reason), where the file stands
    and its history, with transitions, events and states shown by their translated labels."""
    specs = transition_specs(type(file))
    states = dict(state_field(type(file)).flatchoices)
    history = [
        {
            "entry": entry,
            "action": _history_action(type(file), entry, specs),
            "source": states.get(entry.source_state, entry.source_state),
            "target": states.get(entry.target_state, entry.target_state),
            "is_event": entry.transition not in specs,
        }
        for entry in HistoryEntry.objects.for_file(file).seen_by(user, file).select_related("actor")
    ]
    return {
        "workflow_file": file,
        "workflow_actions": [
            (spec, spec.parameters_form(file=file)) for spec in available_transitions(file, user)
        ],
        "workflow_unavailable": [
            {"spec": spec, "reason": decision.reason, "code": decision.code}
            for spec, decision in unavailable_transitions(file, user)
        ],
        "workflow_history": history,
        "workflow_progress": workflow_progress(file, history),
        "workflow_changes": _changes_for_staff(file, user),
    }


def _changes_for_staff(file, user):
    """What changed since the previous submission, for the staff of the file's administration."""
    from accounts.selectors import has_staff_role

    from .changes import latest_changes

    if not getattr(type(file), "SUBMISSION_TRANSITIONS", ()):
        return None
    if not (user.is_superuser or has_staff_role(user, getattr(file, "administration_id", None))):
        return None
    return latest_changes(file)


def _history_action(model, entry, specs) -> str:
    """A transition's label; for the other writes (a draft saved, a document uploaded…) the event's
    label and what it was about: the fields changed, or the document's type, name and version."""
    if entry.transition in specs:
        return str(specs[entry.transition].label)
    label = event_label(entry.transition)
    if label is None:
        return entry.transition
    parameters = entry.parameters or {}
    if fields := parameters.get("fields"):
        details = ", ".join(_field_label(model, name) for name in fields)
    elif name := parameters.get("name"):
        details = _("%(type)s – %(name)s (version %(version)s)") % {
            "type": dict(DocumentType.choices).get(parameters.get("document_type"), ""),
            "name": name,
            "version": parameters.get("version", 1),
        }
    else:
        return str(label)
    return _("%(event)s: %(details)s") % {"event": label, "details": details}


def _field_label(model, name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field that no longer exists keeps its stored name
        return name
    if field.auto_created and not field.concrete:  # a reverse relation (budget lines)
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


class TransitionView(LoginRequiredMixin, View):
    """GET shows the action's form; POST performs it. Subclasses define `get_queryset()` (the files in
    the user's scope: others answer 404)."""

    template_name = "core/transition_form.html"

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_file(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_spec(self, file):
        spec = transition_specs(type(file)).get(self.kwargs["name"])
        if spec is None:
            raise Http404
        return spec

    def render_form(self, file, spec, form, status=200):
        context = {
            "file": file,
            "spec": spec,
            "form": form,
            "summary": spec.describe(file, self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, name):
        file = self.get_file()
        spec = self.get_spec(file)
        require(spec.check(file, request.user), file=file)
        if (unmet := spec.unmet_condition(file)) is not None:
            require(unmet, file=file)
        return self.render_form(file, spec, spec.parameters_form(file=file))

    def post(self, request, pk, name):
        file = self.get_file()
        spec = self.get_spec(file)
        try:
            file = perform_transition(file=file, name=name, acting_user=request.user, data=request.POST)
        except InvalidInput as refusal:
            form = spec.parameters_form(request.POST, file=file)
            form.is_valid()
            for field, errors in refusal.errors.items():
                for error in errors:
                    message = error["message"] if isinstance(error, dict) else str(error)
                    if field in form.fields and message not in form.errors.get(field, []):
                        form.add_error(field, message)
                    elif field not in form.fields:
                        form.add_error(None, message)
            if not refusal.errors:
                form.add_error(None, refusal.message)
            return self.render_form(file, spec, form, status=400)
        messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
        return redirect(file.get_absolute_url())
