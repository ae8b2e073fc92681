"""Downloads: the officer list of grant files (staff only) and the open data on awarded grants (public)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.models import Administration
from accounts.selectors import administration_ids_where, is_staff_member

from . import exports
from .forms import ApplicationFilterForm

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _officer_rows(request):
    if not is_staff_member(request.user):
        raise Http404
    # The list's own filter form, so that an export holds exactly the files the list shows; a bad
    # value is refused rather than silently widening the export.
    administrations = Administration.objects.filter(pk__in=administration_ids_where(request.user))
    form = ApplicationFilterForm(request.GET, administrations=administrations)
    if not form.is_valid():
        return None, HttpResponseBadRequest(
            json.dumps(form.errors.get_json_data()), content_type="application/json"
        )
    applications = exports.officer_export_rows(request.user, form.cleaned_data)
    return exports.values(applications, exports.OFFICER_COLUMNS), None


def _stamp() -> str:
    return timezone.localdate().isoformat()


@require_GET
@login_required
def applications_csv(request):
    rows, refusal = _officer_rows(request)
    if refusal:
        return refusal
    return _download(exports.to_csv(exports.OFFICER_COLUMNS, rows), CSV, f"grant-applications-{_stamp()}.csv")


@require_GET
@login_required
def applications_xlsx(request):
    rows, refusal = _officer_rows(request)
    if refusal:
        return refusal
    content = exports.to_xlsx(exports.OFFICER_COLUMNS, rows, sheet_title=str(_("Grant applications")))
    return _download(content, XLSX, f"grant-applications-{_stamp()}.xlsx")


def _public(response: HttpResponse) -> HttpResponse:
    """Open data: anyone may fetch it, from any site."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def open_data_csv(request):
    rows = exports.values(exports.awarded_grants(), exports.OPEN_DATA_COLUMNS)
    return _public(_download(exports.to_csv(exports.OPEN_DATA_COLUMNS, rows), CSV, "grant-awards.csv"))


@require_GET
def open_data_json(request):
    rows = exports.values(exports.awarded_grants(), exports.OPEN_DATA_COLUMNS)
    records = exports.to_records(exports.OPEN_DATA_COLUMNS, rows)
    body = json.dumps(
        {"generated_at": timezone.now().isoformat(), "count": len(records), "awards": records},
        ensure_ascii=False,
    )
    return _public(HttpResponse(body, content_type="application/json; charset=utf-8"))
