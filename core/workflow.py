"""The one implementation of a workflow transition, shared by every file type of every scheme.

A model declares its transitions with `transition(...)` below: plain `@transition` methods of
django-fsm-2 that also carry a `TransitionSpec`: a label, who may perform it (a decision function),
conditions (each with the reason it gives when it does not hold), whether a comment is required, a
form for its parameters, its **effect** (the service that reserves, pays or schedules, named by its
dotted path so models never import services) and whom it notifies.

`perform_transition` is the service that web views and API endpoints both call. In one transaction
and in this order: lock the file, permission (403), state and conditions (409), input (400), the
effect (`effect(file=..., acting_user=..., **parameters)`, which may refuse), the state change, the
stored deadline, save, an append-only history row and the inbox notifications. E-mails leave after
commit, through the tasks framework (`core.notifications`), so nothing outside can fail a decision
that has been taken.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import django_fsm
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.utils import pretty_name
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .error_codes import ErrorCode
from .exceptions import Conflict, InvalidInput, UnknownTransition


class TransitionRefused(Conflict):
    """Raised by a transition method when a business rule refuses it (envelope exhausted, ...)."""


def _resolve(target: Callable | str | None) -> Callable | None:
    return import_string(target) if isinstance(target, str) else target


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: Promise | str
    target: str
    allowed: Callable | str
    comment_required: bool = False
    parameters: type[forms.Form] | None = None
    notify: Callable | str | None = None
    sources: tuple[str, ...] = field(default=())
    confirm: bool = False  # the web asks for confirmation on a page of its own before performing it
    effect: Callable | str | None = None  # effect(file=, acting_user=, **parameters), in the transaction
    conditions: tuple[Callable, ...] = ()  # condition(file) -> Decision (or bool); no queries: listed often
    summary: Callable | str | None = None  # summary(file, user) -> [(label, value)]: what is decided

    def check(self, file, user):
        return _resolve(self.allowed)(file, user)

    def unmet_condition(self, file):
        """The first condition that does not hold, as a refused decision (None when all hold)."""
        from .permissions import not_now

        for condition in self.conditions:
            outcome = condition(file)
            if not outcome:
                reason = getattr(outcome, "reason", "") or _("This action is not possible now.")
                code = getattr(outcome, "code", "") or ErrorCode.CONDITION_NOT_MET
                return not_now(reason, code)
        return None

    def perform_effect(self, file, acting_user, parameters: dict) -> None:
        effect = _resolve(self.effect)
        if effect is not None:
            effect(file=file, acting_user=acting_user, **parameters)

    def notify_recipients(self, file, entry) -> None:
        notify = _resolve(self.notify)
        if notify is not None:
            notify(file, entry)

    def describe(self, file, user) -> list:
        summary = _resolve(self.summary)
        return summary(file, user) if summary is not None else []

    def parameters_form(self, data=None, *, file=None) -> forms.Form:
        form_class = self.parameters or forms.Form
        form = form_class(data=data, **({"file": file} if getattr(form_class, "takes_file", False) else {}))
        form.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=self.comment_required,
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=5000,
        )
        return form


def transition(
    *,
    field,
    source,
    target: str,
    label,
    allowed: Callable | str,
    comment_required: bool = False,
    parameters: type[forms.Form] | None = None,
    notify: Callable | str | None = None,
    conditions: list[Callable] | None = None,
    confirm: bool = False,
    effect: Callable | str | None = None,
    summary: Callable | str | None = None,
):
    """`django_fsm.transition` plus what the shared services and the UI need to know about it."""
    sources = tuple(source) if isinstance(source, list | tuple | set) else (source,)
    conditions = tuple(conditions or ())

    def decorator(method):
        spec = TransitionSpec(
            name=method.__name__,
            label=label,
            target=str(target),
            allowed=allowed,
            comment_required=comment_required,
            parameters=parameters,
            notify=notify,
            sources=tuple(str(s) for s in sources),
            confirm=confirm,
            effect=effect,
            conditions=conditions,
            summary=summary,
        )
        return django_fsm.transition(
            field=field,
            source=list(sources),
            target=target,
            conditions=[lambda instance, condition=c: bool(condition(instance)) for c in conditions],
            permission=lambda instance, user: bool(spec.check(instance, user)),
            custom={"spec": spec},
        )(method)

    return decorator


def state_field(model: type[models.Model]) -> django_fsm.FSMFieldMixin:
    fields = [f for f in model._meta.fields if isinstance(f, django_fsm.FSMFieldMixin)]
    if len(fields) != 1:
        raise TypeError(f"{model.__name__} must have exactly one FSM field.")
    return fields[0]


def transition_specs(model: type[models.Model]) -> dict[str, TransitionSpec]:
    specs: dict[str, TransitionSpec] = {}
    for fsm_transition in state_field(model).get_all_transitions(model):
        spec = fsm_transition.custom.get("spec")
        if spec is not None:
            specs.setdefault(spec.name, spec)
    return specs


def prepare_for_checks(file: models.Model) -> models.Model:
    """Load once what the file type's permission checks and conditions read (`CHECKS_PREFETCH`, e.g.
    a grant's reviews for the four-eyes rule), so listing the actions costs no query per action."""
    wanted = [
        name
        for name in getattr(type(file), "CHECKS_PREFETCH", ())
        if name not in getattr(file, "_prefetched_objects_cache", {})
    ]
    if wanted:
        models.prefetch_related_objects([file], *wanted)
    return file


def available_transitions(file: models.Model, user) -> list[TransitionSpec]:
    """Transitions the user may perform now (state, conditions and permission all allow it)."""
    prepare_for_checks(file)
    field_ = state_field(type(file))
    specs = []
    for fsm_transition in django_fsm.get_available_FIELD_transitions(file, field_):
        spec = fsm_transition.custom.get("spec")
        if spec is not None and spec.check(file, user):
            specs.append(spec)
    return specs


def unavailable_transitions(file: models.Model, user) -> list[tuple[TransitionSpec, object]]:
    """Transitions the state allows and the user would normally perform, but not now, with the reason
    (four eyes, a deadline, a missing review...): the UI shows them disabled rather than hiding them.
    Refusals for lack of a role are not listed; they would only be noise."""
    from .error_codes import ErrorCode as Codes

    prepare_for_checks(file)
    state = str(getattr(file, state_field(type(file)).name))
    listed = []
    for spec in transition_specs(type(file)).values():
        if state not in spec.sources and "*" not in spec.sources:
            continue
        decision = spec.check(file, user)
        if decision:
            decision = spec.unmet_condition(file)
            if decision is None:
                continue
        if decision.code in (Codes.NOT_PERMITTED, ""):
            continue
        listed.append((spec, decision))
    return listed


def _json_safe(cleaned_data: dict[str, Any]) -> dict[str, Any]:
    converted = {
        key: value.pk if isinstance(value, models.Model) else value for key, value in cleaned_data.items()
    }
    return json.loads(json.dumps(converted, cls=DjangoJSONEncoder))


def perform_transition(
    *, file: models.Model, name: str, acting_user, data: dict | None = None
) -> models.Model:
    """Perform transition `name` on `file` as `acting_user`; returns the saved, updated file.

    The caller has already checked that the user may see the file (scope, else 404).
    """
    from .changes import take_snapshot, takes_snapshots
    from .locking import lock_file
    from .models import HistoryEntry
    from .permissions import refusal

    model = type(file)
    spec = transition_specs(model).get(name)
    if spec is None:
        raise UnknownTransition(_("There is no such action."))
    state_name = state_field(model).name
    try:
        with transaction.atomic():
            locked = lock_file(model, file.pk)
            decision = spec.check(locked, acting_user)
            if not decision:
                raise refusal(decision, file=locked)
            source = str(getattr(locked, state_name))
            if source not in spec.sources and "*" not in spec.sources:
                raise Conflict(
                    _("This action is not possible while the file is “%(state)s”.")
                    % {"state": _state_label(locked)},
                    code=ErrorCode.INVALID_STATE,
                    file=locked,
                )
            if (unmet := spec.unmet_condition(locked)) is not None:
                raise refusal(unmet, file=locked)
            form = spec.parameters_form(data or {}, file=locked)
            if not form.is_valid():
                raise InvalidInput(
                    _("Please correct the errors below."), errors=form.errors.get_json_data(), file=locked
                )
            parameters = dict(form.cleaned_data)
            comment = parameters.pop("comment", "") or ""
            spec.perform_effect(locked, acting_user, parameters)
            getattr(locked, name)(by=acting_user, comment=comment)
            if hasattr(locked, "entered_state"):
                locked.entered_state()
            locked.save()
            if takes_snapshots(model, name):  # what the applicant submitted, for "what changed"
                take_snapshot(locked, transition=name, acting_user=acting_user)
            entry = HistoryEntry.objects.create(
                content_type=ContentType.objects.get_for_model(model),
                object_id=locked.pk,
                transition=name,
                source_state=source,
                target_state=str(getattr(locked, state_name)),
                actor=acting_user,
                comment=comment,
                parameters=_json_safe(parameters),
            )
            # Inbox rows are part of the decision: written in its transaction (e-mails go after commit).
            spec.notify_recipients(locked, entry)
    except django_fsm.ConcurrentTransition:
        raise Conflict(
            _("Someone else changed this file at the same moment. Reload it and try again."),
            code=ErrorCode.CONCURRENT_CHANGE,
            file=file,
        ) from None
    return locked


def _state_label(file: models.Model) -> str:
    field_ = state_field(type(file))
    return str(dict(field_.flatchoices).get(getattr(file, field_.name), getattr(file, field_.name)))


def state_label(file: models.Model):
    """The file's state as a lazy translation, rendered in whatever language it is shown in."""
    field_ = state_field(type(file))
    value = getattr(file, field_.name)
    return dict(field_.flatchoices).get(value, value)


def describe_parameters(spec: TransitionSpec) -> list[dict[str, Any]]:
    """Enough about each parameter to build a form: name, label, type, required, choices."""
    described = []
    for name, form_field in spec.parameters_form().fields.items():
        widget = form_field.widget
        kind = {
            forms.DecimalField: "decimal",
            forms.IntegerField: "integer",
            forms.DateField: "date",
            forms.BooleanField: "boolean",
            forms.ChoiceField: "choice",
        }.get(type(form_field), "textarea" if isinstance(widget, forms.Textarea) else "string")
        item = {
            "name": name,
            "label": str(form_field.label) if form_field.label else pretty_name(name),
            "type": kind,
            "required": form_field.required,
        }
        if isinstance(form_field, forms.ChoiceField):
            item["choices"] = [
                {"value": str(value), "label": str(text)} for value, text in form_field.choices
            ]
        described.append(item)
    return described
