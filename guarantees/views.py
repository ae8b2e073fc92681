"""Web pages of guarantees: thin views that parse a form, call one service or selector, and render.

Every file is looked up in `requests_visible_to(user)` (outside it: 404); refusals raised by the
services are turned into the 403 page or a message on the file by the shared middleware."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Administration, Organisation
from accounts.selectors import (
    administration_ids_where,
    has_staff_role,
    is_staff_member,
    membership_roles_by_organisation,
)
from core import exports as formats
from core import instruction, messaging
from core.documents import document_series
from core.exceptions import InvalidInput
from core.pagination import WEB_PAGE_SIZE, LateLookupPaginator
from core.payments import payment_orders_of
from core.pdf import pdf_response
from core.permissions import deny, require
from core.web import TransitionView, workflow_panel_context

from . import exports, pdf, permissions, selectors, services
from .forms import (
    DeclarationForm,
    DeclarationUploadForm,
    RecoveryForm,
    RequestFilterForm,
    RequestForm,
    RiskReviewForm,
    StressForm,
    show_errors,
)
from .models import GuaranteeRequest
from .uploads import lender_loans, lender_loans_queryset, template_csv, upload_declarations


def request_in_scope(request, pk: int) -> GuaranteeRequest:
    requests = selectors.requests_visible_to(request.user).select_related(
        "borrower", "lender", "administration", "parameters", "risk_reviewed_by", "grant"
    )
    return get_object_or_404(requests, pk=pk)


def _member_organisations(user):
    return list(
        Organisation.objects.filter(
            pk__in=list(membership_roles_by_organisation(user)), is_financial_institution=False
        ).order_by("name_fr")
    )


def _errors(refusal: InvalidInput) -> dict:
    return refusal.errors or {"__all__": [refusal.message]}


# -- lists -----------------------------------------------------------------------------------------


@login_required
def request_list(request):
    """Staff: the files of their administrations; borrowers: their requests; lenders: their loans."""
    user = request.user
    administrations = Administration.objects.filter(pk__in=administration_ids_where(user))
    form = RequestFilterForm(request.GET or None, administrations=administrations)
    requests = selectors.with_list_columns(selectors.requests_visible_to(user))
    sort = ""
    if form.is_bound and form.is_valid():
        sort = form.cleaned_data["sort"]
        requests = selectors.filter_requests(requests, form.filters())
    if sort:
        column = sort.lstrip("-")
        requests = requests.order_by(f"-{column}" if sort.startswith("-") else column, "-pk")
    page = LateLookupPaginator(requests, WEB_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "guarantees/request_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_staff": is_staff_member(user),
            "may_apply": bool(_member_organisations(user)),
            "is_lender": Organisation.objects.filter(
                pk__in=list(membership_roles_by_organisation(user)), is_financial_institution=True
            ).exists(),
        },
    )


def _export_rows(request):
    if not is_staff_member(request.user):
        raise Http404
    administrations = Administration.objects.filter(pk__in=administration_ids_where(request.user))
    form = RequestFilterForm(request.GET, administrations=administrations)
    if not form.is_valid():
        return None
    return formats.rows(exports.export_rows(request.user, form.filters()), exports.COLUMNS)


@require_GET
@login_required
def export_csv(request):
    rows = _export_rows(request)
    if rows is None:
        return HttpResponseBadRequest(_("Invalid filters."))
    return formats.csv_response(exports.COLUMNS, rows, f"guarantees-{timezone.localdate()}.csv")


@require_GET
@login_required
def export_xlsx(request):
    rows = _export_rows(request)
    if rows is None:
        return HttpResponseBadRequest(_("Invalid filters."))
    return formats.xlsx_response(
        exports.COLUMNS, rows, sheet_title=_("Guarantees"), filename=f"guarantees-{timezone.localdate()}.xlsx"
    )


# -- the borrower's request, saved as you go ---------------------------------------------------------


def _draft_values(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "borrower"}


@login_required
def request_new(request):
    organisations = _member_organisations(request.user)
    if not organisations:
        require(deny(_("Only members of a non-profit organisation may request a guarantee.")))
    form = RequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_draft(
                acting_user=request.user, borrower=form.cleaned_data["borrower"], data=_draft_values(form)
            )
        except InvalidInput as refusal:
            # Nothing lost: the draft is kept with what was valid, the rest is shown with its error.
            values = {k: v for k, v in _draft_values(form).items() if k not in refusal.errors}
            created = services.create_draft(
                acting_user=request.user, borrower=form.cleaned_data["borrower"], data=values
            )
            show_errors(form, _errors(refusal))
            return render(
                request, "guarantees/request_form.html", {"form": form, "guarantee": created}, status=400
            )
        messages.success(request, _("Draft saved."))
        return redirect("guarantees:request_edit", created.pk)
    return render(request, "guarantees/request_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def request_edit(request, pk: int):
    guarantee = request_in_scope(request, pk)
    require(permissions.may_edit(guarantee, request.user), file=guarantee)
    organisations = [guarantee.borrower]
    form = RequestForm(request.POST or None, instance=guarantee, organisations=organisations, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = _draft_values(form)
            try:
                services.update_draft(acting_user=request.user, request=guarantee, data=values)
            except InvalidInput as refusal:
                kept = {k: v for k, v in values.items() if k not in refusal.errors}
                services.update_draft(acting_user=request.user, request=guarantee, data=kept)
                show_errors(form, _errors(refusal))
                status = 400
            else:
                messages.success(request, _("Draft saved."))
                if "submit" in request.POST:
                    return redirect(
                        "guarantees:request_transition",
                        guarantee.pk,
                        "submit" if guarantee.state == "draft" else "answer",
                    )
                return redirect("guarantees:request_edit", guarantee.pk)
        else:
            status = 400
    guarantee.refresh_from_db()
    from .rules import completeness_errors

    missing = [
        message for messages_ in completeness_errors(guarantee).values() for message, _code in messages_
    ]
    return render(
        request,
        "guarantees/request_form.html",
        {"form": form, "guarantee": guarantee, "missing": missing},
        status=status,
    )


# -- the file page -----------------------------------------------------------------------------------


@login_required
def request_detail(request, pk: int):
    guarantee = request_in_scope(request, pk)
    user = request.user
    context = {
        "guarantee": guarantee,
        "is_file_staff": has_staff_role(user, guarantee.administration_id),
        "may_edit": bool(permissions.may_edit(guarantee, user)),
        "may_review": bool(permissions.may_record_risk_review(guarantee, user)),
        "may_declare": bool(permissions.may_declare(guarantee, user)),
        "may_recover": bool(permissions.may_report_recovery(guarantee, user)),
        "has_offer_letter": bool(permissions.may_get_offer_letter(guarantee)),
        "has_certificate": bool(permissions.may_get_certificate(guarantee)),
        # Read only when the cached rendering of the schedule has expired (see the template).
        "has_schedule": guarantee.schedule_lines.exists(),
        "schedule": guarantee.schedule_lines.all(),
        "fee_periods": list(guarantee.fee_periods.select_related("payment_order")),
        "declarations": list(guarantee.declarations.select_related("declared_by")),
        "recoveries": list(guarantee.recoveries.select_related("payment_order")),
        "payment_orders": list(payment_orders_of(guarantee).order_by("created_at", "pk"))
        if has_staff_role(user, guarantee.administration_id)
        else [],
        "documents": document_series(guarantee),
        "may_upload": bool(guarantee.may_upload_documents(user)),
        **workflow_panel_context(guarantee, user),
        **messaging.summary(guarantee, user, url_name="guarantees:messages"),
        **instruction.panel_context(guarantee, user, url_name="guarantees:instruction"),
    }
    return render(request, "guarantees/request_detail.html", context)


@login_required
def risk_review(request, pk: int):
    guarantee = request_in_scope(request, pk)
    require(permissions.may_record_risk_review(guarantee, request.user), file=guarantee)
    initial = {
        "rating": guarantee.risk_rating,
        "justification": guarantee.risk_justification,
        "recommendation": guarantee.recommendation,
    }
    form = RiskReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_risk_review(acting_user=request.user, request=guarantee, **form.cleaned_data)
        except InvalidInput as refusal:
            show_errors(form, _errors(refusal))
        else:
            messages.success(request, _("Risk review recorded."))
            return redirect(guarantee.get_absolute_url())
    return render(
        request,
        "guarantees/simple_form.html",
        {"guarantee": guarantee, "form": form, "title": _("Risk review")},
        status=400 if form.errors else 200,
    )


@login_required
def declare(request, pk: int):
    guarantee = request_in_scope(request, pk)
    require(permissions.may_declare(guarantee, request.user), file=guarantee)
    form = DeclarationForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.declare(
                acting_user=request.user,
                request=guarantee,
                **{
                    "outstanding_principal": form.cleaned_data["outstanding_principal"],
                    "as_of": form.cleaned_data["as_of"],
                    "arrears_amount": form.cleaned_data["arrears_amount"],
                    "arrears_days": form.cleaned_data["arrears_days"],
                },
            )
        except InvalidInput as refusal:
            show_errors(form, _errors(refusal))
        else:
            messages.success(request, _("Declaration recorded."))
            return redirect(guarantee.get_absolute_url())
    return render(
        request,
        "guarantees/simple_form.html",
        {"guarantee": guarantee, "form": form, "title": _("Declare the outstanding balance")},
        status=400 if form.errors else 200,
    )


@login_required
def recovery(request, pk: int):
    guarantee = request_in_scope(request, pk)
    require(permissions.may_report_recovery(guarantee, request.user), file=guarantee)
    form = RecoveryForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_recovery(acting_user=request.user, request=guarantee, **form.cleaned_data)
        except InvalidInput as refusal:
            show_errors(form, _errors(refusal))
        else:
            messages.success(request, _("Recovery reported."))
            return redirect(guarantee.get_absolute_url())
    return render(
        request,
        "guarantees/simple_form.html",
        {"guarantee": guarantee, "form": form, "title": _("Report a recovery")},
        status=400 if form.errors else 200,
    )


@login_required
def offer_letter_pdf(request, pk: int):
    guarantee = request_in_scope(request, pk)
    require(permissions.may_get_offer_letter(guarantee, request.user), file=guarantee)
    return pdf_response(lambda: pdf.offer_letter_pdf(guarantee), f"{guarantee.reference}-offer.pdf")


@login_required
def certificate_pdf(request, pk: int):
    guarantee = request_in_scope(request, pk)
    require(permissions.may_get_certificate(guarantee, request.user), file=guarantee)
    return pdf_response(lambda: pdf.certificate_pdf(guarantee), f"{guarantee.reference}-certificate.pdf")


class RequestTransitionView(TransitionView):
    """`/guarantees/requests/<pk>/transitions/<name>/`: the shared transition view, in scope."""

    def get_queryset(self):
        return selectors.requests_visible_to(self.request.user)


# -- lenders: their loans, declarations by CSV -------------------------------------------------------


@login_required
def lender_loans_page(request):
    loans = lender_loans_queryset(request.user)
    if (
        not loans.exists()
        and not Organisation.objects.filter(
            pk__in=list(membership_roles_by_organisation(request.user)), is_financial_institution=True
        ).exists()
    ):
        require(deny(_("Only members of a lending institution declare balances.")))
    form = DeclarationUploadForm(
        request.POST or None, request.FILES or None, initial={"quarter": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = upload_declarations(
                    acting_user=request.user,
                    quarter=form.cleaned_data["quarter"],
                    content=form.cleaned_data["file"].read(),
                )
            except InvalidInput as refusal:
                show_errors(form, _errors(refusal))
                messages.error(request, refusal.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("%(count)s declarations applied for the quarter starting %(quarter)s.")
                    % {"count": outcome["applied"], "quarter": outcome["quarter"]},
                )
                return redirect("guarantees:lender_loans")
        else:
            status = 400
    # 50 loans a page, each page one query for its rows, their borrower and their exposure (the
    # lender's loans are never all loaded to show a page).
    running = (
        selectors.with_exposure(loans)
        .select_related("borrower")
        .only("id", "reference", "state", "guaranteed_amount", "borrower__name_fr", "borrower__name_nl")
        .order_by("reference", "pk")
    )
    page = LateLookupPaginator(running, WEB_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"loan": loan, "exposure": loan.exposure} for loan in page.object_list]
    return render(
        request, "guarantees/lender_loans.html", {"rows": rows, "form": form, "page": page}, status=status
    )


@login_required
def declarations_template(request):
    content = template_csv(sorted(lender_loans(request.user)))
    return HttpResponse(
        content.encode(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="declarations.csv"'},
    )


# -- portfolio -------------------------------------------------------------------------------------


@login_required
def portfolio(request):
    if not is_staff_member(request.user):
        require(deny(_("Only staff of the administrations see the guarantee portfolio.")))
    form = StressForm(request.GET or None, defaults=selectors.DEFAULT_STRESS_RATES)
    rates = dict(selectors.DEFAULT_STRESS_RATES)
    if form.is_bound and form.is_valid():
        rates.update({key: value for key, value in form.cleaned_data.items() if value is not None})
    portfolio_tables = selectors.portfolio_tables()
    status = selectors.fund_status(exposure=selectors.total_exposure(portfolio_tables))
    dimensions = [
        ("administration", _("By administration")),
        ("rating", _("By risk rating")),
        ("lender", _("By lender")),
        ("status", _("By state")),
    ]
    state_labels = dict(GuaranteeRequest._meta.get_field("state").flatchoices)
    tables, rows_by_key = [], {}
    for key, title in dimensions:
        rows = rows_by_key[key] = portfolio_tables[key]
        top = max((row["exposure"] for row in rows), default=0) or 1
        for row in rows:
            row["label"] = (
                state_labels.get(row["key"], row["key"]) if key == "status" else (row["key"] or "—")
            )
            row["width"] = int(row["exposure"] * 100 / top)
        tables.append({"key": key, "title": title, "rows": rows})
    return render(
        request,
        "guarantees/portfolio.html",
        {
            "status": status,
            "tables": tables,
            "stress": selectors.stress_scenario(rates, by_rating_rows=rows_by_key["rating"], status=status),
            "form": form,
            "use_width": min(int(status["use"]), 100),
        },
    )


def queue_link(pk: int) -> str:
    return reverse("guarantees:request_detail", args=[pk])
