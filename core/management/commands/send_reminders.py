from django.core.management.base import BaseCommand

from core.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the deadline reminders due today (each once) and the reminders of overdue receivables; run daily."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(
            self.style.SUCCESS(
                f"{sent['soon']} due-soon, {sent['overdue']} overdue and {sent['receivables']} receivable reminder(s) sent."
            )
        )
