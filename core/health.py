"""Liveness and readiness (issue 10, faults), with django-health-check's probes.

- `/health/live/`: the process answers (no database, no cache): a supervisor restarts it when not.
- `/health/ready/`: the database, the cache, the document storage and the background task queue all
  answer; 503 with what is failing otherwise, so a load balancer sends no traffic to an instance
  that cannot serve. JSON, never cached, no login (it tells nothing about any file).
"""

import dataclasses
import datetime

from asgiref.sync import sync_to_async
from django import db
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The background work (e-mails, letters, scheduled jobs) is being done: with the database task
    backend, its queue answers and no task ready to run has waited longer than `max_wait` (the
    `db_worker` process is not running). With the immediate backend (development), nothing waits."""

    max_wait: datetime.timedelta = dataclasses.field(default=datetime.timedelta(minutes=15), repr=False)

    async def run(self):
        # On the request's own thread and database connection, like any view's query.
        await sync_to_async(self._check, thread_sensitive=True)()

    def _check(self):
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

        if type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__module__.split(".")[0] != "django_tasks_db":
            return
        from django_tasks_db.models import DBTaskResult

        try:
            oldest = (
                DBTaskResult.objects.ready()
                .order_by("enqueued_at")
                .values_list("enqueued_at", flat=True)
                .first()
            )
        except db.Error as error:
            raise ServiceUnavailable("The task queue does not answer.") from error
        if oldest is not None and timezone.now() - oldest > self.max_wait:
            raise ServiceUnavailable(
                f"A task has waited since {oldest.isoformat()}: is the db_worker process running?"
            )


class ReadinessView(HealthCheckView):
    checks = (Database, Cache, Storage, TaskQueue)

    async def get(self, request, *args, **kwargs):
        import asyncio

        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        checks = {
            type(result.check).__name__.lower(): "ok" if result.error is None else str(result.error)
            for result in results
        }
        failing = any(result.error is not None for result in results)
        response = JsonResponse({"status": "unavailable" if failing else "ok", "checks": checks})
        response.status_code = 503 if failing else 200
        add_never_cache_headers(response)
        return response


readiness = ReadinessView.as_view()


@require_GET
def liveness(request):
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response
