"""Processing days per state for grants (editable in the admin afterwards), and the stored deadline
and state-entry time of the files that already exist."""

from datetime import timedelta

from django.db import migrations

PROCESSING_DAYS = {
    "submitted": 10,
    "screening": 30,
    "information_requested": 30,
    "under_review": 45,
    "final_report_submitted": 30,
}
FINISHED = {"ineligible", "rejected", "lapsed", "closed", "terminated", "withdrawn"}


def forwards(apps, schema_editor):
    ProcessingDeadline = apps.get_model("core", "ProcessingDeadline")
    GrantApplication = apps.get_model("grants", "GrantApplication")
    HistoryEntry = apps.get_model("core", "HistoryEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for state, days in PROCESSING_DAYS.items():
        ProcessingDeadline.objects.get_or_create(scheme="grants", state=state, defaults={"days": days})
    content_type = ContentType.objects.filter(app_label="grants", model="grantapplication").first()
    for application in GrantApplication.objects.select_related("call").iterator():
        entered = None
        if content_type is not None:
            entered = (
                HistoryEntry.objects.filter(content_type=content_type, object_id=application.pk)
                .order_by("-at", "-id")
                .values_list("at", flat=True)
                .first()
            )
        entered = entered or application.updated_at
        state = application.state
        if state in FINISHED:
            deadline = None
        elif state == "draft":
            deadline = application.call.closes_on
        elif state == "approved":
            deadline = application.acceptance_deadline
        elif state == "in_progress":
            deadline = application.end_date
        else:
            deadline = entered.date() + timedelta(days=PROCESSING_DAYS.get(state, 30))
        GrantApplication.objects.filter(pk=application.pk).update(state_entered_at=entered, deadline=deadline)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0002_stored_deadlines"),
        ("core", "0003_deadlines_and_email_retries"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
