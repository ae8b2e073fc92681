"""Open data shared by the schemes: public, CSV and JSON, cached per format and language under an
ETag computed from one cheap aggregate (the grants' awards follow the same pattern).

Every dataset here is an aggregate over decided files only: never a person, never an undecided file.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core import exports as formats

CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"
# The ETag follows the decided files themselves; this bounds how long a renamed organisation or call
# (which the ETag does not see) may still show its old name.
CACHE_SECONDS = 15 * 60
INTEGER = "integer"  # a column kind: written as is in CSV, a JSON integer


def public(response: HttpResponse, etag: str) -> HttpResponse:
    """Open data: anyone may fetch it, from any site, and revalidate it with its ETag."""
    response["Access-Control-Allow-Origin"] = "*"
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


def serve(
    request,
    *,
    dataset: str,
    file_format: str,
    fingerprint: Callable[[], tuple],
    columns: list,
    rows: Callable[[], list[list]],
    filename: str,
    records_key: str,
) -> HttpResponse:
    """One dataset in `file_format` ("csv" or "json"): 304 when the client's ETag is current, else
    the body from the cache or rendered once from `rows()`."""
    digest = hashlib.sha256(f"{dataset}|{file_format}|{get_language()}|{fingerprint()}".encode()).hexdigest()[
        :32
    ]
    etag = f'"{digest}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return public(HttpResponseNotModified(), etag)
    key = f"open-data:{digest}"
    body = cache.get(key)
    if body is None:
        if file_format == "csv":
            body = formats.to_csv(columns, rows())
        else:
            records = formats.to_records(columns, rows())
            document = {
                "generated_at": timezone.now().isoformat(),
                "count": len(records),
                records_key: records,
            }
            body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        cache.set(key, body, CACHE_SECONDS)
    response = HttpResponse(body, content_type=CSV if file_format == "csv" else JSON)
    if file_format == "csv":
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return public(response, etag)


def dataset_views(**options):
    """The public CSV and JSON views of one dataset (`options` as for `serve`, but the format)."""

    @require_GET
    def as_csv(request):
        return serve(request, file_format="csv", **options)

    @require_GET
    def as_json(request):
        return serve(request, file_format="json", **options)

    return as_csv, as_json


@dataclass(frozen=True)
class Dataset:
    """One published dataset, as the public index lists it (`Scheme.open_datasets`)."""

    code: str
    title: object
    description: object
    columns: Sequence  # core.exports.Column
    csv_url: str
    json_url: str


KIND_LABELS = {
    formats.Kind.TEXT: _("text"),
    formats.Kind.AMOUNT: _("decimal number"),
    formats.Kind.DATE: _("date (YYYY-MM-DD)"),
    formats.Kind.DATETIME: _("date and time"),
    INTEGER: _("whole number"),
}


def datasets() -> list[Dataset]:
    from .schemes import schemes

    return [dataset for scheme in schemes() for dataset in scheme.open_datasets]


def describe(dataset: Dataset) -> dict:
    return {
        "code": dataset.code,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "csv": dataset.csv_url,
        "json": dataset.json_url,
        "fields": [
            {"name": column.key, "label": str(column.header), "type": column.kind}
            for column in dataset.columns
        ],
    }


@require_GET
def index(request):
    """The public list of the datasets, their formats and their fields (HTML, or JSON with
    `?format=json`), without login."""
    from django.shortcuts import render

    described = [describe(dataset) for dataset in datasets()]
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps({"datasets": described}, ensure_ascii=False).encode("utf-8"), content_type=JSON
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    for dataset in described:
        for column in dataset["fields"]:
            column["type_label"] = KIND_LABELS.get(column["type"], column["type"])
    return render(request, "core/open_data.html", {"datasets": described})
