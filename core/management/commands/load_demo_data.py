"""`manage.py load_demo_data`: the demo accounts of SPEC §8, then every registered scheme's demo
files (each scheme names its loader in the registry, `core.schemes`). Idempotent; refused unless the
settings allow demo data (never in production)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from accounts.demo import DEMO_PASSWORD, load_accounts_demo_data
from core.schemes import schemes


class Command(BaseCommand):
    help = "Load the demo accounts and organisations of SPEC §8 (idempotent; refused in production)."

    def handle(self, *args, **options):
        # The demo walks files through real transitions, which notify people: their inbox shows the
        # messages, but the e-mails to the demo addresses are kept in memory rather than printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load()

    @transaction.atomic
    def _load(self):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is never loaded with these settings (production).")
        load_accounts_demo_data()
        for scheme in schemes():
            if scheme.demo_data:
                import_string(scheme.demo_data)()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded; every demo account's password is {DEMO_PASSWORD}.")
        )
