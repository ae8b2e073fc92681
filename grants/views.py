"""Web pages of grants: thin views that parse a form, call one service or selector, and render.

Scope: every file is looked up in `applications_visible_to(user)`, so a file outside it answers 404;
an action the user may see but not perform answers 403; a state that does not allow it sends the
user back to the file with a message saying why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Prefetch, Value, When, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Administration
from accounts.selectors import administration_ids_where, has_staff_role, is_staff_member
from core import instruction, messaging
from core.documents import document_series
from core.exceptions import InvalidInput
from core.pagination import WEB_PAGE_SIZE, LateLookupPaginator
from core.payments import payment_orders_of
from core.pdf import pdf_response
from core.permissions import require
from core.web import workflow_panel_context

from . import calculations, pdf, permissions, services
from .choices import Axis, Logic, MutualisationType, ReportKind
from .forms import (
    ApplicationFilterForm,
    FinalReportForm,
    ReportForm,
    ReviewForm,
    show_errors,
)
from .models import Call, GrantApplication, Review
from .selectors import (
    applications_visible_to,
    envelopes_with_budget,
    filter_applications,
    review_averages,
    with_list_columns,
)
from .states import State

# -- helpers -------------------------------------------------------------------------------------


def open_calls():
    today = timezone.localdate()
    return Call.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk")


def application_in_scope(request, pk: int) -> GrantApplication:
    applications = applications_visible_to(request.user).select_related(
        "call", "lead_organisation", "administration"
    )
    return get_object_or_404(applications, pk=pk)


def error_messages(refusal: InvalidInput) -> dict[str, list[str]]:
    errors = {
        field: [error["message"] if isinstance(error, dict) else str(error) for error in field_errors]
        for field, field_errors in refusal.errors.items()
    }
    return errors or {"__all__": [refusal.message]}


def may_edit(application, user) -> bool:
    return bool(permissions.may_edit(application, user))


# -- calls ---------------------------------------------------------------------------------------


@login_required
def call_list(request):
    staff = is_staff_member(request.user)
    calls = Call.objects.order_by("-opens_on", "pk") if staff else open_calls()
    return render(request, "grants/call_list.html", {"calls": calls, "is_staff": staff})


@login_required
def call_detail(request, pk: int):
    staff = is_staff_member(request.user)
    calls = Call.objects.all() if staff else Call.objects.filter(opens_on__lte=timezone.localdate())
    call = get_object_or_404(calls, pk=pk)
    return render(
        request,
        "grants/call_detail.html",
        {"call": call, "is_staff": staff, "envelopes": list(envelopes_with_budget(call)) if staff else []},
    )


# -- starting and editing a draft ----------------------------------------------------------------


# -- documents -----------------------------------------------------------------------------------


# -- the file page, its PDFs ---------------------------------------------------------------------


def _review_summary(application) -> dict:
    """All reviews with their criteria, and the averages computed in the database."""
    reviews = list(application.reviews.all())  # prefetched with their reviewers by the file page
    averages = review_averages(application)
    labels = {name: Review._meta.get_field(name).verbose_name for name in Review.SCORE_FIELDS}
    for one in reviews:
        one.average = one.total / len(Review.SCORE_FIELDS)
        one.criteria = [
            (labels[name], getattr(one, name), getattr(one, f"{name}_comment"))
            for name in Review.SCORE_FIELDS
        ]
    rows = [
        {
            "name": name,
            "label": labels[name],
            "scores": [getattr(one, name) for one in reviews],
            "average": averages[name],
        }
        for name in Review.SCORE_FIELDS
    ]
    return {"reviews": reviews, "review_rows": rows, "overall_average": averages["overall"]}


def _labels(values, choices) -> list[str]:
    labels = dict(choices)
    return [labels.get(value, value) for value in values]


@login_required
def application_detail(request, pk: int):
    application = application_in_scope(request, pk)
    # Loaded once for the permission checks (four eyes) and the review summary alike.
    prefetch_related_objects(
        [application], Prefetch("reviews", queryset=Review.objects.select_related("reviewer"))
    )
    user = request.user
    is_file_staff = has_staff_role(user, application.administration_id)
    payment_orders = payment_orders_of(application).order_by("created_at", "pk")
    reports = application.reports.select_related("submitted_by").prefetch_related("expenses__budget_line")
    context = {
        "application": application,
        "partners": application.partners.all(),
        "axes": _labels(application.axes, Axis.choices),
        "types": _labels(application.types, MutualisationType.choices),
        "logics": _labels(application.logics, Logic.choices),
        "budget_lines": list(application.budget_lines.all()),
        "documents": document_series(application),
        "reports": reports,
        "payment_orders": payment_orders,
        "paid_so_far": services.paid_so_far(application),
        "advance_amount": (
            calculations.advance_amount(application.awarded_amount, application.call.advance_percentage)
            if application.awarded_amount is not None
            else None
        ),
        "is_file_staff": is_file_staff,
        "may_edit": may_edit(application, user),
        "may_upload": bool(application.may_upload_documents(user)),
        "may_review": bool(permissions.may_record_review(application, user)),
        "may_report": bool(permissions.may_file_report(application, user)),
        "has_receipt": bool(permissions.may_get_receipt(application, user)),
        "recheck_url": (
            f"{reverse('core:eligibility_check')}?organisation={application.lead_organisation_id}&scheme=grants"
            if is_file_staff
            else ""
        ),
        **workflow_panel_context(application, user),
        **messaging.summary(application, user, url_name="grants:messages"),
        **instruction.panel_context(application, user, url_name="grants:instruction"),
    }
    context["budget_total"] = sum((line.amount for line in context["budget_lines"]), 0)
    if permissions.may_read_reviews(application, user):
        context.update(_review_summary(application))
    return render(request, "grants/application_detail.html", context)


@login_required
def receipt_pdf(request, pk: int):
    application = application_in_scope(request, pk)
    require(permissions.may_get_receipt(application, request.user), file=application)
    return pdf_response(lambda: pdf.receipt_pdf(application), f"{application.reference}-receipt.pdf")


@login_required
def award_letter_pdf(request, pk: int):
    application = application_in_scope(request, pk)
    require(permissions.may_get_award_letter(application, request.user), file=application)
    return pdf_response(lambda: pdf.award_letter_pdf(application), f"{application.reference}-award.pdf")


# -- officers: reviews and the list of files -----------------------------------------------------


@login_required
def review(request, pk: int):
    application = application_in_scope(request, pk)
    require(permissions.may_record_review(application, request.user), file=application)
    mine = Review.objects.filter(application=application, reviewer=request.user).first()
    initial = {name: getattr(mine, name) for name in ReviewForm().fields} if mine else None
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(acting_user=request.user, application=application, data=form.cleaned_data)
        except InvalidInput as refusal:
            show_errors(form, error_messages(refusal))
        except ValidationError as error:
            show_errors(form, error.message_dict)
        else:
            messages.success(request, _("Your review was recorded."))
            return redirect(application.get_absolute_url() + "#reviews")
    return render(
        request,
        "grants/review_form.html",
        {"application": application, "form": form, "updating": mine is not None},
        status=400 if form.errors else 200,
    )


SORTABLE_COLUMNS = [
    ("reference", gettext_lazy("Reference")),
    ("title", gettext_lazy("Title")),
    ("state", gettext_lazy("State")),
    ("deadline", gettext_lazy("Deadline")),
    ("requested_amount", gettext_lazy("Requested amount")),
]


def _sort_headers(request, sort: str) -> list[dict]:
    query = request.GET.copy()
    query.pop("page", None)
    headers = []
    for key, label in SORTABLE_COLUMNS:
        current = sort.lstrip("-") == key
        descending = current and sort.startswith("-")
        query["sort"] = key if descending or not current else f"-{key}"
        headers.append(
            {
                "key": key,
                "label": label,
                "url": f"?{query.urlencode()}",
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return headers


@login_required
def application_list(request):
    """Staff: the files of their administrations; applicants: their organisations' files (lead or partner)."""
    user = request.user
    administrations = Administration.objects.filter(pk__in=administration_ids_where(user))
    form = ApplicationFilterForm(request.GET or None, administrations=administrations)
    applications = with_list_columns(applications_visible_to(user))
    sort = ""
    if form.is_bound and form.is_valid():
        sort = form.cleaned_data["sort"]
        applications = filter_applications(applications, form.cleaned_data)
    if sort:
        # States sort in the order of the workflow, not by their (translated) names.
        applications = applications.annotate(
            state_rank=Case(
                *[When(state=value, then=Value(rank)) for rank, value in enumerate(State.values)],
                output_field=IntegerField(),
            )
        )
        column = F({"state": "state_rank"}.get(sort.lstrip("-"), sort.lstrip("-")))
        order = column.desc(nulls_last=True) if sort.startswith("-") else column.asc(nulls_last=True)
        applications = applications.order_by(order, "-pk")
    page = LateLookupPaginator(applications, WEB_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters_only = query.copy()
    filters_only.pop("sort", None)
    return render(
        request,
        "grants/application_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filter_query": filters_only.urlencode(),
            "headers": _sort_headers(request, sort),
            "is_staff": is_staff_member(user),
        },
    )


# -- applicants: reports -------------------------------------------------------------------------


@login_required
def report(request, pk: int, kind: str):
    application = application_in_scope(request, pk)
    require(permissions.may_file_report(application, request.user), file=application)
    final = kind == ReportKind.FINAL
    data = request.POST if request.method == "POST" else None
    form = FinalReportForm(data, budget_lines=application.budget_lines.all()) if final else ReportForm(data)
    if data is not None and form.is_valid():
        try:
            services.file_report(
                acting_user=request.user,
                application=application,
                kind=kind,
                activities=form.cleaned_data["activities"],
                results=form.cleaned_data["results"],
                expenses=form.expenses() if final else None,
            )
        except InvalidInput as refusal:
            show_errors(form, error_messages(refusal))
        else:
            if final:
                messages.success(
                    request,
                    _("The final report was saved. Submit it with “Submit the final report” below."),
                )
            else:
                messages.success(request, _("The interim report was filed."))
            return redirect(application.get_absolute_url() + "#reports")
    return render(
        request,
        "grants/report_form.html",
        {"application": application, "form": form, "final": final},
        status=400 if form.errors else 200,
    )
