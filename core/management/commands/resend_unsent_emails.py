"""Queue again the notification e-mails a mail-server outage left unsent; run it hourly from cron."""

from django.core.management.base import BaseCommand

from core.tasks import resend_unsent_emails


class Command(BaseCommand):
    help = "Queue again every notification e-mail not yet sent that has attempts left."

    def handle(self, *args, **options):
        count = resend_unsent_emails.call()
        self.stdout.write(self.style.SUCCESS(f"{count} e-mail(s) queued again."))
