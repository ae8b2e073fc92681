from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteesConfig(AppConfig):
    name = "guarantees"
    verbose_name = _("Credit guarantees")

    def ready(self) -> None:
        from core.schemes import Scheme, register_scheme

        register_scheme(Scheme(code="guarantees", label=_("Public credit guarantee"), reference_prefix="GAR"))
