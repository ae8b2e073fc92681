"""The one implementation of a workflow transition, shared by every file type of every scheme.

A model declares its transitions with `transition(...)` below: plain `@transition` methods of
django-fsm-2 that also carry a `TransitionSpec` (label, who may perform it, whether a comment is
required, a form for its parameters, whom to notify). `perform_transition` is the service that web
views and API endpoints both call: permission (403), state (409), input (400), lock, transition,
save and an append-only history row in one transaction, then notifications after commit.
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
from .exceptions import Conflict, InvalidInput, NotPermitted, UnknownTransition


class TransitionRefused(Conflict):
    """Raised by a transition method when a business rule refuses it (envelope exhausted, ...)."""


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

    def check(self, file, user):
        allowed = import_string(self.allowed) if isinstance(self.allowed, str) else self.allowed
        return allowed(file, user)

    def notify_after_commit(self, file, entry) -> None:
        if self.notify is None:
            return
        notify = import_string(self.notify) if isinstance(self.notify, str) else self.notify
        notify(file, entry)

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
):
    """`django_fsm.transition` plus what the shared services and the UI need to know about it."""
    sources = tuple(source) if isinstance(source, list | tuple | set) else (source,)

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
        )
        return django_fsm.transition(
            field=field,
            source=list(sources),
            target=target,
            conditions=conditions or [],
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


def available_transitions(file: models.Model, user) -> list[TransitionSpec]:
    """Transitions the user may perform now (state, conditions and permission all allow it)."""
    field_ = state_field(type(file))
    specs = []
    for fsm_transition in django_fsm.get_available_FIELD_transitions(file, field_):
        spec = fsm_transition.custom.get("spec")
        if spec is not None and spec.check(file, user):
            specs.append(spec)
    return specs


def lock(model: type[models.Model], pk: int) -> models.Model:
    """Re-read a file with a row lock held until the end of the transaction."""
    return model._default_manager.select_for_update().get(pk=pk)


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
    from .models import HistoryEntry

    model = type(file)
    spec = transition_specs(model).get(name)
    if spec is None:
        raise UnknownTransition(_("There is no such action."))
    try:
        with transaction.atomic():
            locked = lock(model, file.pk)
            decision = spec.check(locked, acting_user)
            if not decision:
                raise NotPermitted(decision.reason, code=getattr(decision, "code", "") or None)
            method = getattr(locked, name)
            if not django_fsm.can_proceed(method):
                raise Conflict(
                    _("This action is not possible while the file is “%(state)s”.")
                    % {"state": _state_label(locked)},
                    code=ErrorCode.INVALID_STATE,
                )
            form = spec.parameters_form(data or {}, file=locked)
            if not form.is_valid():
                raise InvalidInput(_("Please correct the errors below."), errors=form.errors.get_json_data())
            parameters = dict(form.cleaned_data)
            comment = parameters.pop("comment", "") or ""
            source = str(getattr(locked, state_field(model).name))
            method(by=acting_user, comment=comment, **parameters)
            locked.save()
            entry = HistoryEntry.objects.create(
                content_type=ContentType.objects.get_for_model(model),
                object_id=locked.pk,
                transition=name,
                source_state=source,
                target_state=str(getattr(locked, state_field(model).name)),
                actor=acting_user,
                comment=comment,
                parameters=_json_safe(parameters),
            )
            transaction.on_commit(lambda: spec.notify_after_commit(locked, entry))
    except django_fsm.ConcurrentTransition:
        raise Conflict(
            _("Someone else changed this file at the same moment. Reload it and try again."),
            code=ErrorCode.CONCURRENT_CHANGE,
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
