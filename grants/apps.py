from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Mutualisation grants")

    def ready(self) -> None:
        from core.eligibility import Scheme, register_scheme

        register_scheme(Scheme(code="grants", label=_("Mutualisation grant"), reference_prefix="MUT"))
