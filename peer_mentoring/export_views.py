"""Downloads of the officer lists (staff only), filtered exactly as the list is."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.selectors import is_staff_member
from core import exports as formats

from . import exports
from .forms import AgreementFilterForm, DeclarationFilterForm


def _rows(request, form_class, rows, columns):
    if not is_staff_member(request.user):
        raise Http404
    form = form_class(request.GET)
    if not form.is_valid():
        return None, HttpResponseBadRequest(
            json.dumps(form.errors.get_json_data()), content_type="application/json"
        )
    return formats.rows(rows(request.user, form.filters()), columns), None


def _export(request, form_class, rows, columns, name, title, kind):
    found, refusal = _rows(request, form_class, rows, columns)
    if refusal:
        return refusal
    filename = f"{name}-{timezone.localdate().isoformat()}.{kind}"
    if kind == "csv":
        return formats.csv_response(columns, found, filename)
    return formats.xlsx_response(columns, found, sheet_title=str(title), filename=filename)


@require_GET
@login_required
def agreements_csv(request):
    return _export(
        request,
        AgreementFilterForm,
        exports.agreement_rows,
        exports.AGREEMENT_COLUMNS,
        "mentoring-agreements",
        _("Mentoring agreements"),
        "csv",
    )


@require_GET
@login_required
def agreements_xlsx(request):
    return _export(
        request,
        AgreementFilterForm,
        exports.agreement_rows,
        exports.AGREEMENT_COLUMNS,
        "mentoring-agreements",
        _("Mentoring agreements"),
        "xlsx",
    )


@require_GET
@login_required
def declarations_csv(request):
    return _export(
        request,
        DeclarationFilterForm,
        exports.declaration_rows,
        exports.DECLARATION_COLUMNS,
        "mentoring-declarations",
        _("Hours declarations"),
        "csv",
    )


@require_GET
@login_required
def declarations_xlsx(request):
    return _export(
        request,
        DeclarationFilterForm,
        exports.declaration_rows,
        exports.DECLARATION_COLUMNS,
        "mentoring-declarations",
        _("Hours declarations"),
        "xlsx",
    )
