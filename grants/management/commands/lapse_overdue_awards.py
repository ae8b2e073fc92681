"""Lapse the awards not accepted in time; run it daily from cron (see README, "Scheduled jobs")."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from grants.tasks import lapse_overdue_awards


class Command(BaseCommand):
    help = (
        "Lapse every approved grant whose acceptance deadline has passed. By default the job is "
        "queued for the tasks backend (run at once by the immediate backend, by `db_worker` otherwise)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Run the job in this process instead of queueing it.",
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            count = lapse_overdue_awards.call()
        else:
            result = lapse_overdue_awards.enqueue()
            if not result.is_finished:
                self.stdout.write(f"Queued as task {result.id}.")
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError("The job failed:\n" + "\n".join(e.traceback for e in result.errors))
            count = result.return_value
        self.stdout.write(self.style.SUCCESS(f"{count} overdue award(s) lapsed."))
