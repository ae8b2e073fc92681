"""The scheme registry: what each scheme tells the shared machinery about itself, in one place.

A scheme registers once, from its `AppConfig.ready()`: its code and label, the reference prefix of
its files, its own eligibility rules, its file models, the work-queue sources it feeds and the
function that loads its demo data. The shared pieces (submission, references, the work queue, the
demo-data command, the navigation) ask the registry instead of repeating literals.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Scheme:
    code: str
    label: object
    reference_prefix: str
    rules: Sequence = ()  # core.eligibility.Rule: the scheme's own eligibility rules
    file_models: Sequence[str] = ()  # "app_label.ModelName" of its workflow files
    queue_sources: Sequence = field(default=())  # core.work_queue.QueueSource
    task_sources: Sequence = field(default=())  # core.todo.TaskSource: tasks beyond the declared ones
    open_datasets: Sequence = ()  # core.open_data.Dataset: what the public index lists
    dashboard_sections: Sequence[str] = ()  # dotted paths of core.dashboards sections: section(user)
    demo_data: str = ""  # dotted path of a function that loads the scheme's demo files

    def models(self) -> list[type[models.Model]]:
        return [apps.get_model(label) for label in self.file_models]


_SCHEMES: dict[str, Scheme] = {}


def register_scheme(scheme: Scheme) -> None:
    from .work_queue import register_queue_source

    _SCHEMES[scheme.code] = scheme
    for source in scheme.queue_sources:
        register_queue_source(source)


def schemes() -> list[Scheme]:
    return list(_SCHEMES.values())


def find_scheme(code: str) -> Scheme | None:
    return _SCHEMES.get(code)


def scheme_of(model_or_file) -> Scheme:
    """The scheme a workflow file (or its model) belongs to."""
    model = model_or_file if isinstance(model_or_file, type) else type(model_or_file)
    label = model._meta.label
    for scheme in _SCHEMES.values():
        if label in scheme.file_models:
            return scheme
    raise LookupError(f"{label} is not the file model of any registered scheme.")
