from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery shared by the three schemes: workflow, history, references, documents,
    payment orders, notifications, eligibility, PDFs and money."""

    name = "core"
    verbose_name = _("Shared machinery")

    def ready(self) -> None:
        from accounts.extensions import register_organisation_section

        from . import receivers
        from .organisation_picture import picture

        receivers.connect()
        register_organisation_section(picture)
