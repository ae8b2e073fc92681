from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerMentoringConfig(AppConfig):
    name = "peer_mentoring"
    verbose_name = _("Paid peer mentoring")

    def ready(self) -> None:
        from core.schemes import Scheme, register_scheme

        register_scheme(Scheme(code="mentoring", label=_("Paid peer mentoring"), reference_prefix="MEN"))
