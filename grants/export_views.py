"""Downloads: the officer list of grant files (staff only) and the open data on awarded grants (public).

The officer exports are read from one `values_list` query; the CSV is streamed. The open data is the
same for everyone: its body is cached per format and language, under an ETag computed from one
aggregate on the awarded files, and a client that sends that ETag back gets a 304.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.models import Administration
from accounts.selectors import administration_ids_where, is_staff_member
from core import exports as formats
from core import open_data

from . import exports
from .forms import ApplicationFilterForm


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


def _awards():
    return formats.rows(exports.awarded_grants(), exports.OPEN_DATA_COLUMNS)


# Public, cached under an ETag from one cheap aggregate (core.open_data, as every scheme's dataset).
open_data_csv, open_data_json = open_data.dataset_views(
    dataset="grant-awards",
    fingerprint=exports.awarded_grants_fingerprint,
    columns=exports.OPEN_DATA_COLUMNS,
    rows=_awards,
    filename="grant-awards.csv",
    records_key="awards",
)
