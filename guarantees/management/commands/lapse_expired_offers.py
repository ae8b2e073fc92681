"""Lapse every guarantee offer not taken up by its expiry; run it daily from cron."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from guarantees.tasks import lapse_expired_offers


class Command(BaseCommand):
    help = (
        "Lapse every guarantee offer not taken up by its expiry. Queued for the tasks backend unless --now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run the job in this process instead of queueing it."
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            count = lapse_expired_offers.call()
        else:
            result = lapse_expired_offers.enqueue()
            if not result.is_finished:
                self.stdout.write(f"Queued as task {result.id}.")
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError("The job failed:\n" + "\n".join(e.traceback for e in result.errors))
            count = result.return_value
        self.stdout.write(self.style.SUCCESS(f"{count} offer(s) lapsed."))
