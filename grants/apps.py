from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Mutualisation grants")

    def ready(self) -> None:
        from core.eligibility import Scheme, register_scheme
        from core.work_queue import QueueSource, register_queue_source

        from .selectors import queue_rows

        register_scheme(Scheme(code="grants", label=_("Mutualisation grant"), reference_prefix="MUT"))
        from .workflow import State

        register_queue_source(
            QueueSource(
                "grants",
                _("Mutualisation grants"),
                queue_rows,
                states=State.choices,
                url=lambda pk: f"/grants/applications/{pk}/",
            )
        )
