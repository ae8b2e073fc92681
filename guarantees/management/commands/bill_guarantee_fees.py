"""Create the fee payment orders of every billing period that has started (each exactly once); run it daily from cron."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from guarantees.tasks import bill_guarantee_fees


class Command(BaseCommand):
    help = "Create the fee payment orders of every billing period that has started (each exactly once). Queued for the tasks backend unless --now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run the job in this process instead of queueing it."
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            count = bill_guarantee_fees.call()
        else:
            result = bill_guarantee_fees.enqueue()
            if not result.is_finished:
                self.stdout.write(f"Queued as task {result.id}.")
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError("The job failed:\n" + "\n".join(e.traceback for e in result.errors))
            count = result.return_value
        self.stdout.write(self.style.SUCCESS(f"{count} fee order(s) created."))
