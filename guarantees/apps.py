from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteesConfig(AppConfig):
    name = "guarantees"
    verbose_name = _("Credit guarantees")

    def ready(self) -> None:
        from core.audit import register_event
        from core.open_data import Dataset
        from core.schemes import Scheme, register_scheme
        from core.todo import TaskSource
        from core.work_queue import QueueSource

        from .open_data import COLUMNS
        from .selectors import declarations_due, queue_rows
        from .states import State

        for name, label in [
            ("risk_review_recorded", _("Risk review recorded")),
            ("risk_review_changed", _("Risk review changed")),
            ("acted_for_lender", _("Officer acted for the lender")),
            ("balance_declared", _("Outstanding balance declared")),
            ("declaration_replaced", _("Declaration replaced")),
            ("recovery_reported", _("Recovery reported")),
        ]:
            register_event(name, label)

        register_scheme(
            Scheme(
                code="guarantees",
                label=_("Public credit guarantee"),
                reference_prefix="GAR",
                file_models=["guarantees.GuaranteeRequest"],
                queue_sources=[
                    QueueSource(
                        "guarantees",
                        _("Credit guarantees"),
                        queue_rows,
                        states=State.choices,
                        url=lambda pk: f"/guarantees/requests/{pk}/",
                    )
                ],
                task_sources=[
                    TaskSource(
                        "declare_balance",
                        _("Declare the outstanding balance of the quarter"),
                        declarations_due,
                    )
                ],
                open_datasets=[
                    Dataset(
                        "guarantees-offered",
                        _("Public credit guarantees offered"),
                        _(
                            "How many guarantees were offered and for what guaranteed volume, per administration and "
                            "year of the offer. Aggregates only: no borrower is named."
                        ),
                        COLUMNS,
                        "/guarantees/open-data/guarantees.csv",
                        "/guarantees/open-data/guarantees.json",
                    )
                ],
                dashboard_sections=["guarantees.dashboards.exposure_over_time"],
                demo_data="guarantees.demo.load_guarantee_demo_data",
            )
        )
