from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Mutualisation grants")

    def ready(self) -> None:
        from core.schemes import Scheme, register_scheme
        from core.work_queue import QueueSource

        from .selectors import queue_rows
        from .states import State

        register_scheme(
            Scheme(
                code="grants",
                label=_("Mutualisation grant"),
                reference_prefix="MUT",
                file_models=["grants.GrantApplication"],
                queue_sources=[
                    QueueSource(
                        "grants",
                        _("Mutualisation grants"),
                        queue_rows,
                        states=State.choices,
                        url=lambda pk: f"/grants/applications/{pk}/",
                    )
                ],
                dashboard_sections=["grants.dashboards.envelopes_per_call"],
                demo_data="grants.demo.load_grant_demo_data",
            )
        )
