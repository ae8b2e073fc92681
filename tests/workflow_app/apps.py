from django.apps import AppConfig


class WorkflowAppConfig(AppConfig):
    """A test-only file type that exercises the shared workflow machinery (installed by test settings)."""

    name = "tests.workflow_app"
    label = "workflow_app"
