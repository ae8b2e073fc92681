"""Downloads: the officer list of grant files (staff only) and the open data on awarded grants (public).

The officer exports are read from one `values_list` query; the CSV is streamed. The open data is the
same for everyone: its body is cached per format and language, under an ETag computed from one
aggregate on the awarded files, and a client that sends that ETag back gets a 304.
"""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.models import Administration
from accounts.selectors import administration_ids_where, is_staff_member
from core import exports as formats

from . import exports
from .forms import ApplicationFilterForm

CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"
# The ETag follows the awarded files themselves; this bounds how long a renamed organisation or call
# (which the ETag does not see) may still show its old name in the open data.
OPEN_DATA_CACHE_SECONDS = 15 * 60


def _officer_rows(request, file_format: str):
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
    wanted = form.cleaned_data.get("administration")
    formats.record_personal_data_export(
        user=request.user,
        name="grant-applications",
        file_format=file_format,
        filters=form.cleaned_data,
        administrations=[one for one in administrations if not wanted or one.code == wanted],
    )
    return formats.rows(applications, exports.OFFICER_COLUMNS), None


def _stamp() -> str:
    return timezone.localdate().isoformat()


@require_GET
@login_required
def applications_csv(request):
    rows, refusal = _officer_rows(request, "csv")
    if refusal:
        return refusal
    return formats.csv_response(exports.OFFICER_COLUMNS, rows, f"grant-applications-{_stamp()}.csv")


@require_GET
@login_required
def applications_xlsx(request):
    rows, refusal = _officer_rows(request, "xlsx")
    if refusal:
        return refusal
    return formats.xlsx_response(
        exports.OFFICER_COLUMNS,
        rows,
        sheet_title=str(_("Grant applications")),
        filename=f"grant-applications-{_stamp()}.xlsx",
    )


def _public(response: HttpResponse, etag: str) -> HttpResponse:
    """Open data: anyone may fetch it, from any site, and revalidate it with its ETag."""
    response["Access-Control-Allow-Origin"] = "*"
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


def _open_data(request, name: str, render, content_type: str, filename: str | None) -> HttpResponse:
    count, latest = exports.awarded_grants_fingerprint()
    digest = hashlib.sha256(f"{name}|{get_language()}|{count}|{latest}".encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return _public(HttpResponseNotModified(), etag)
    key = f"grants:open-data:{digest}"
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, OPEN_DATA_CACHE_SECONDS)
    response = HttpResponse(body, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _public(response, etag)


def _awards():
    return formats.rows(exports.awarded_grants(), exports.OPEN_DATA_COLUMNS)


@require_GET
def open_data_csv(request):
    def render() -> bytes:
        return formats.to_csv(exports.OPEN_DATA_COLUMNS, _awards())

    return _open_data(request, "csv", render, CSV, "grant-awards.csv")


@require_GET
def open_data_json(request):
    def render() -> bytes:
        records = formats.to_records(exports.OPEN_DATA_COLUMNS, _awards())
        document = {"generated_at": timezone.now().isoformat(), "count": len(records), "awards": records}
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    return _open_data(request, "json", render, JSON, None)
