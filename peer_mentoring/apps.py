from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerMentoringConfig(AppConfig):
    name = "peer_mentoring"
    verbose_name = _("Paid peer mentoring")

    def ready(self) -> None:
        from django_fsm.signals import post_transition

        from core.audit import register_event
        from core.open_data import Dataset
        from core.schemes import Scheme, register_scheme
        from core.work_queue import QueueSource
        from grants.models import GrantApplication

        from .open_data import COLUMNS
        from .selectors import agreement_queue_rows, declaration_queue_rows
        from .services import grant_status_for_closed_grant
        from .states import AgreementState, DeclarationState

        register_scheme(
            Scheme(
                code="mentoring",
                label=_("Paid peer mentoring"),
                reference_prefix="MEN",
                file_models=["peer_mentoring.Agreement", "peer_mentoring.HoursDeclaration"],
                queue_sources=[
                    QueueSource(
                        "mentoring_agreements",
                        _("Mentoring agreements"),
                        agreement_queue_rows,
                        states=AgreementState.choices,
                        url=lambda pk: f"/mentoring/agreements/{pk}/",
                    ),
                    QueueSource(
                        "mentoring_declarations",
                        _("Mentoring hours declarations"),
                        declaration_queue_rows,
                        states=DeclarationState.choices,
                        url=lambda pk: f"/mentoring/declarations/{pk}/",
                    ),
                ],
                open_datasets=[
                    Dataset(
                        "mentoring-hours",
                        _("Peer-mentoring hours and compensation"),
                        _(
                            "The mentoring hours validated and the compensation paid for them, per year, and the "
                            "number of agreements they came from. Aggregates only: no mentor or mentee is named."
                        ),
                        COLUMNS,
                        "/mentoring/open-data/hours.csv",
                        "/mentoring/open-data/hours.json",
                    )
                ],
                dashboard_sections=["peer_mentoring.dashboards.hours_per_month"],
                demo_data="peer_mentoring.demo.load_mentoring_demo_data",
            )
        )
        for name, label in [
            ("mentor_status_granted", _("Mentor status granted")),
            ("mentor_status_suspended", _("Mentor status suspended")),
            ("mentor_status_restored", _("Mentor status restored")),
            ("mentor_profile_changed", _("Mentor profile changed")),
            ("mentor_application_submitted", _("Application for mentor status submitted")),
            ("mentor_application_approved", _("Application for mentor status approved")),
            ("mentor_application_refused", _("Application for mentor status refused")),
        ]:
            register_event(name, label)
        # Closing a grant makes its lead a mentor; grants does not know about mentoring.
        post_transition.connect(
            grant_status_for_closed_grant, sender=GrantApplication, dispatch_uid="peer_mentoring.closed_grant"
        )
