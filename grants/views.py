"""Web pages of grants: thin views that parse a form, call one service or selector, and render.

Scope: every file is looked up in `applications_visible_to(user)`, so a file outside it answers 404;
an action the user may see but not perform answers 403; a state that does not allow it sends the
user back to the file with a message saying why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.models import Administration
from accounts.selectors import administration_ids_where, has_staff_role, is_staff_member, organisations_of
from core.eligibility import administrations_for
from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import Document, PaymentOrder
from core.pdf import pdf_response
from core.permissions import is_applicant, is_officer
from core.web import TransitionView, workflow_panel_context

from . import calculations, pdf, services
from .choices import Axis, Logic, MutualisationType, ReportKind
from .forms import (
    ApplicationFilterForm,
    DocumentForm,
    DraftForm,
    FinalReportForm,
    ReportForm,
    ReviewForm,
    StartApplicationForm,
    budget_formset,
    budget_lines_entered,
    show_errors,
)
from .models import Call, GrantApplication, Review
from .selectors import (
    applications_visible_to,
    envelopes_with_budget,
    review_averages,
    with_deadline,
    with_list_columns,
)
from .workflow import State

# -- helpers -------------------------------------------------------------------------------------


def open_calls():
    today = timezone.localdate()
    return Call.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk")


def _application(request, pk: int) -> GrantApplication:
    applications = applications_visible_to(request.user).select_related(
        "call", "lead_organisation", "administration"
    )
    return get_object_or_404(applications, pk=pk)


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _back_to_file(request, application, refusal) -> HttpResponse:
    messages.error(request, refusal.message)
    return redirect(application.get_absolute_url())


def _error_messages(refusal: InvalidInput) -> dict[str, list[str]]:
    errors = {
        field: [error["message"] if isinstance(error, dict) else str(error) for error in field_errors]
        for field, field_errors in refusal.errors.items()
    }
    return errors or {"__all__": [refusal.message]}


def _may_edit(application, user) -> bool:
    return bool(is_applicant(application, user)) and application.state in services.EDITABLE_STATES


def _document_series(application) -> list[dict]:
    """Each document with its older versions (a replacement is a new version, never a deletion)."""
    documents = (
        Document.objects.for_file(application)
        .select_related("uploaded_by")
        .order_by("document_type", "series", "-version")
    )
    series: dict = {}
    for document in documents:
        series.setdefault(document.series, []).append(document)
    return [{"current": versions[0], "older": versions[1:]} for versions in series.values()]


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


@login_required
def application_start(request):
    organisations = organisations_of(request.user)
    calls = open_calls()
    initial = {"call": request.GET.get("call")}
    if len(calls) == 1:
        initial["call"] = calls[0].pk
    if len(organisations) == 1:
        initial["lead_organisation"] = organisations[0].pk
    form = StartApplicationForm(
        request.POST or None, calls=calls, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_draft(
                acting_user=request.user,
                call=form.cleaned_data["call"],
                lead_organisation=form.cleaned_data["lead_organisation"],
                data={"title": form.cleaned_data["title"]},
            )
        except NotPermitted as refusal:
            raise PermissionDenied(refusal.message) from None
        except InvalidInput as refusal:
            show_errors(form, _error_messages(refusal))
        else:
            messages.success(
                request, _("Your draft was created. It is saved each time you press “Save draft”.")
            )
            return redirect("grants:application_edit", pk=application.pk)
    return render(
        request,
        "grants/application_start.html",
        {"form": form, "has_organisations": bool(organisations), "has_calls": bool(calls)},
        status=400 if form.errors else 200,
    )


@transaction.atomic
def _save_draft(user, application, form, formset) -> None:
    """The draft's fields, partners and budget lines, all or nothing.

    The services check the requested amount against the budget total, which this same save may
    change; so the amount is set last, once the new budget lines are in place.
    """
    data = form.draft_data()
    requested = data.pop("requested_amount")
    services.update_draft(
        acting_user=user,
        application=application,
        data={**data, "requested_amount": None},
        partners=form.cleaned_data["partners"],
    )
    if formset.has_changed():
        lines = [line for _form, line in budget_lines_entered(formset)]
        services.replace_budget_lines(acting_user=user, application=application, lines=lines)
    if requested is not None:
        services.update_draft(acting_user=user, application=application, data={"requested_amount": requested})


def _show_draft_errors(form, formset, refusal: InvalidInput) -> None:
    lines = budget_lines_entered(formset)
    for field, field_messages in _error_messages(refusal).items():
        prefix, _dot, index = field.partition(".")
        if prefix == "budget_lines" and index.isdigit() and int(index) < len(lines):
            for message in field_messages:
                lines[int(index)][0].add_error(None, message)
        else:
            show_errors(form, {field: field_messages})


SECTION_ANCHORS = {"budget_lines": "budget", "documents": "documents", "call": "call-info"}


def _error_summary(form, formset) -> list[tuple[str, str, str]]:
    """(anchor, label, message) of each refusal, for the summary that links to the fields."""
    summary = [
        (
            f"id_{name}" if name in form.fields else "draft-form",
            form[name].label if name in form.fields else "",
            error,
        )
        for name, errors in form.errors.items()
        for error in errors
    ]
    for number, line in enumerate(formset.forms, start=1):
        for name, errors in line.errors.items():
            label = _("Budget line %(number)s") % {"number": number}
            anchor = f"id_{line.prefix}-{name}" if name in line.fields else f"budget-line-{line.prefix}"
            summary.extend((anchor, label, error) for error in errors)
    summary.extend(("budget", _("Budget"), error) for error in formset.non_form_errors())
    return summary


def _draft_page(request, application, form, formset, *, status=200, submission_errors=None):
    missing = [
        (f"id_{field}" if field in form.fields else SECTION_ANCHORS.get(field, ""), message)
        for field, field_messages in services.completeness_errors(
            application, during_call=application.state == State.DRAFT
        ).items()
        for message in field_messages
    ]
    section_errors = {
        field: field_messages
        for field, field_messages in (submission_errors or {}).items()
        if field not in form.fields
    }
    return render(
        request,
        "grants/application_edit.html",
        {
            "application": application,
            "form": form,
            "formset": formset,
            "saved_lines": formset.forms[: formset.initial_form_count()],
            "new_lines": formset.forms[formset.initial_form_count() :],
            # Blank lines stay folded away unless there is nothing else yet, or they hold input.
            "new_lines_open": not formset.initial_form_count()
            or any(
                line.is_bound and line.has_changed() for line in formset.forms[formset.initial_form_count() :]
            ),
            "missing": missing,
            "submission_refused": bool(submission_errors),
            "error_summary": _error_summary(form, formset) if form.is_bound or submission_errors else [],
            "section_errors": section_errors,
            "budget_total": application.budget_total,
            "documents": _document_series(application),
            "document_form": DocumentForm(application=application),
            "may_upload": True,
            **workflow_panel_context(application, request.user),
        },
        status=status,
    )


@login_required
def application_edit(request, pk: int):
    application = _application(request, pk)
    _require(is_applicant(application, request.user))
    if application.state not in services.EDITABLE_STATES:
        messages.error(request, _("The application can no longer be changed in this state."))
        return redirect(application.get_absolute_url())
    data = request.POST if request.method == "POST" else None
    form = DraftForm(data, application=application, initial=DraftForm.initial_for(application))
    formset = budget_formset(application, data)
    if data is None:
        return _draft_page(request, application, form, formset)
    form_valid, formset_valid = form.is_valid(), formset.is_valid()
    if form_valid and formset_valid:
        try:
            _save_draft(request.user, application, form, formset)
        except NotPermitted as refusal:
            raise PermissionDenied(refusal.message) from None
        except Conflict as refusal:
            return _back_to_file(request, application, refusal)
        except InvalidInput as refusal:
            _show_draft_errors(form, formset, refusal)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("grants:application_edit", pk=application.pk)
    return _draft_page(request, application, form, formset, status=400)


def _submission_refused(request, application, errors: dict[str, list[str]]) -> HttpResponse:
    """Submitting an incomplete file: back to the draft, each missing piece next to its field."""
    form = DraftForm(application=application, initial=DraftForm.initial_for(application))
    show_errors(form, {field: messages_ for field, messages_ in errors.items() if field in form.fields})
    return _draft_page(
        request, application, form, budget_formset(application), status=400, submission_errors=errors
    )


class ApplicationTransitionView(TransitionView):
    """`/grants/applications/<pk>/transitions/<name>/`: the shared transition view, in scope."""

    COMPLETENESS_CHECKED = {"submit", "resubmit"}

    def get_queryset(self):
        return applications_visible_to(self.request.user)

    def render_form(self, file, spec, form, status=200):
        if spec.name == "submit" and "administration" in form.fields:
            # Offer the choice only when the recognitions make several administrations competent.
            competent = list(administrations_for(file.lead_organisation))
            form.fields["administration"].queryset = Administration.objects.filter(
                pk__in=[a.pk for a in competent]
            )
            if len(competent) < 2 and not form.errors.get("administration"):
                del form.fields["administration"]
        return super().render_form(file, spec, form, status)

    def post(self, request, pk, name):
        if name in self.COMPLETENESS_CHECKED:
            file = self.get_file()
            spec = self.get_spec(file)
            allowed = spec.check(file, request.user) and can_proceed(getattr(file, name))
            # The call's dates bind the first submission only, not the answer to an information request.
            if allowed and (errors := services.completeness_errors(file, during_call=name == "submit")):
                return _submission_refused(request, file, errors)
        return super().post(request, pk, name)


# -- documents -----------------------------------------------------------------------------------


@login_required
def document_upload(request, pk: int):
    application = _application(request, pk)
    _require(application.may_upload_documents(request.user))
    replacing = None
    if (wanted := request.POST.get("replaces") or request.GET.get("replaces", "")).isdigit():
        replacing = Document.objects.for_file(application).filter(pk=wanted).first()
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        application=application,
        initial={"replaces": replacing.pk if replacing else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.upload_document(
                acting_user=request.user,
                application=application,
                document_type=form.cleaned_data["document_type"],
                upload=form.cleaned_data["content"],
                replaces=form.cleaned_data["replaces"],
            )
        except NotPermitted as refusal:
            raise PermissionDenied(refusal.message) from None
        except ValidationError as error:
            form.add_error("content", error)
        else:
            messages.success(request, _("“%(name)s” was uploaded.") % {"name": document.original_name})
            if _may_edit(application, request.user):
                return redirect(reverse("grants:application_edit", args=[application.pk]) + "#documents")
            return redirect(application.get_absolute_url() + "#documents")
    return render(
        request,
        "grants/document_form.html",
        {"application": application, "form": form, "replacing": replacing},
        status=400 if form.errors else 200,
    )


@login_required
def document_download(request, pk: int, document_pk: int):
    application = _application(request, pk)
    document = get_object_or_404(Document.objects.for_file(application), pk=document_pk)
    try:
        content = document.content.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        content, as_attachment=True, filename=document.original_name, content_type=document.media_type
    )


# -- the file page, its PDFs ---------------------------------------------------------------------


def _review_summary(application) -> dict:
    """All reviews with their criteria, and the averages computed in the database."""
    reviews = list(application.reviews.select_related("reviewer"))
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
    application = _application(request, pk)
    user = request.user
    is_file_staff = has_staff_role(user, application.administration_id)
    applicant = bool(is_applicant(application, user))
    payment_orders = PaymentOrder.objects.filter(
        content_type=ContentType.objects.get_for_model(GrantApplication), object_id=application.pk
    ).order_by("created_at", "pk")
    reports = application.reports.select_related("submitted_by").prefetch_related("expenses__budget_line")
    context = {
        "application": application,
        "partners": application.partners.all(),
        "axes": _labels(application.axes, Axis.choices),
        "types": _labels(application.types, MutualisationType.choices),
        "logics": _labels(application.logics, Logic.choices),
        "budget_lines": list(application.budget_lines.all()),
        "documents": _document_series(application),
        "reports": reports,
        "payment_orders": payment_orders,
        "paid_so_far": services.paid_so_far(application),
        "advance_amount": (
            calculations.advance_amount(application.awarded_amount, application.call.advance_percentage)
            if application.awarded_amount is not None
            else None
        ),
        "is_file_staff": is_file_staff,
        "may_edit": _may_edit(application, user),
        "may_upload": bool(application.may_upload_documents(user)),
        "may_review": application.state == State.UNDER_REVIEW and bool(is_officer(application, user)),
        "may_report": applicant and application.state == State.IN_PROGRESS,
        "has_receipt": bool(application.reference and application.submitted_at),
        "recheck_url": (
            f"{reverse('accounts:eligibility_check')}?organisation={application.lead_organisation_id}&scheme=grants"
            if is_file_staff
            else ""
        ),
        **workflow_panel_context(application, user),
    }
    context["budget_total"] = sum((line.amount for line in context["budget_lines"]), 0)
    if is_file_staff:
        context.update(_review_summary(application))
    return render(request, "grants/application_detail.html", context)


@login_required
def receipt_pdf(request, pk: int):
    application = _application(request, pk)
    if not (application.reference and application.submitted_at):
        raise Http404
    return pdf_response(pdf.receipt_pdf(application), f"{application.reference}-receipt.pdf")


@login_required
def award_letter_pdf(request, pk: int):
    application = _application(request, pk)
    if application.awarded_amount is None:
        raise Http404
    return pdf_response(pdf.award_letter_pdf(application), f"{application.reference}-award.pdf")


# -- officers: reviews and the list of files -----------------------------------------------------


@login_required
def review(request, pk: int):
    application = _application(request, pk)
    _require(is_officer(application, request.user))
    if application.state != State.UNDER_REVIEW:
        messages.error(request, _("Reviews are recorded while the application is under review."))
        return redirect(application.get_absolute_url())
    mine = Review.objects.filter(application=application, reviewer=request.user).first()
    initial = {name: getattr(mine, name) for name in ReviewForm().fields} if mine else None
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(acting_user=request.user, application=application, data=form.cleaned_data)
        except NotPermitted as refusal:
            raise PermissionDenied(refusal.message) from None
        except Conflict as refusal:
            return _back_to_file(request, application, refusal)
        except InvalidInput as refusal:
            show_errors(form, _error_messages(refusal))
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
    applications = with_deadline(with_list_columns(applications_visible_to(user)))
    sort = ""
    if form.is_bound and form.is_valid():
        filters = form.cleaned_data
        sort = filters["sort"]
        if filters["call"]:
            applications = applications.filter(call=filters["call"])
        if filters["state"]:
            applications = applications.filter(state=filters["state"])
        if filters["administration"]:
            applications = applications.filter(administration__code=filters["administration"])
        if filters["deadline_before"]:
            applications = applications.filter(deadline__lte=filters["deadline_before"])
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
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
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
    application = _application(request, pk)
    _require(is_applicant(application, request.user))
    if application.state != State.IN_PROGRESS:
        messages.error(request, _("Reports are filed while the grant is in progress."))
        return redirect(application.get_absolute_url())
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
        except NotPermitted as refusal:
            raise PermissionDenied(refusal.message) from None
        except Conflict as refusal:
            return _back_to_file(request, application, refusal)
        except InvalidInput as refusal:
            show_errors(form, _error_messages(refusal))
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
