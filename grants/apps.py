from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Mutualisation grants")

    def ready(self) -> None:
        from core.open_data import Dataset
        from core.schemes import Scheme, register_scheme
        from core.work_queue import QueueSource

        from .exports import OPEN_DATA_COLUMNS
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
                open_datasets=[
                    Dataset(
                        "grant-awards",
                        _("Awarded mutualisation grants"),
                        _(
                            "Every grant awarded (approved, running, reported, closed or terminated): the organisation, "
                            "its enterprise number, the project, its axes, the amount and the date of the decision."
                        ),
                        OPEN_DATA_COLUMNS,
                        "/grants/open-data/awards.csv",
                        "/grants/open-data/awards.json",
                    )
                ],
                dashboard_sections=["grants.dashboards.envelopes_per_call"],
                demo_data="grants.demo.load_grant_demo_data",
            )
        )
