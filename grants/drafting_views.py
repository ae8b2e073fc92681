"""Web pages for drafting a grant application: start it, edit the draft (saved as you go, every rule
shown next to its field), its budget and documents, and the transitions (submission included), which
bring an incomplete file back to the draft page with what is missing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import Administration
from accounts.selectors import organisations_of
from core.document_views import documents_context
from core.eligibility import administrations_for
from core.exceptions import Conflict, InvalidInput
from core.forms import DocumentForm
from core.models import Document
from core.permissions import is_applicant
from core.web import TransitionView, workflow_panel_context

from . import drafting, rules
from .forms import (
    BLANK_LINES,
    MAX_LINES,
    DraftForm,
    StartApplicationForm,
    budget_formset,
    budget_lines_entered,
    entered_total,
    show_errors,
    with_one_more_line,
)
from .selectors import (
    applications_visible_to,
)
from .states import EDITABLE_STATES, State

# -- helpers -------------------------------------------------------------------------------------
from .views import (
    application_in_scope,
    error_messages,
    may_edit,
    open_calls,
    require,
)


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
            application = drafting.create_draft(
                acting_user=request.user,
                call=form.cleaned_data["call"],
                lead_organisation=form.cleaned_data["lead_organisation"],
                data={"title": form.cleaned_data["title"]},
            )
        except InvalidInput as refusal:
            show_errors(form, error_messages(refusal))
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


def _lines_to_save(formset) -> list[dict] | None:
    """The budget to store, or None to keep the saved one: untouched, or holding a refused line (the
    budget is saved as a whole; each refused line keeps its input and its message)."""
    if not formset.has_changed() or not formset.is_valid():
        return None
    return [line for _form, line in budget_lines_entered(formset)]


def _show_draft_errors(form, formset, errors: dict[str, list[str]]) -> None:
    """The service's refusals next to their fields (each message once) or their budget line."""
    lines = budget_lines_entered(formset) if formset.is_valid() else []
    for field, field_messages in errors.items():
        prefix, _dot, index = field.partition(".")
        if prefix == "budget_lines" and index.isdigit() and int(index) < len(lines):
            for message in field_messages:
                lines[int(index)][0].add_error(None, message)
        else:
            shown = form.errors.get(field, []) if form.is_bound else []
            show_errors(form, {field: [message for message in field_messages if message not in shown]})


SECTION_ANCHORS = {"budget_lines": "budget", "documents": "documents", "call": "call-info"}


def _error_summary(form, formset, document_form=None) -> list[tuple[str, str, str]]:
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
    if document_form is not None and document_form.is_bound:
        for name, errors in document_form.errors.items():
            anchor = f"id_{document_form.prefix}-{name}" if name in document_form.fields else "documents"
            label = document_form[name].label if name in document_form.fields else _("Documents")
            summary.extend((anchor, label, error) for error in errors)
    return summary


def _document_form(application, data=None, files=None) -> DocumentForm:
    return DocumentForm(data, files, file=application, prefix="document")


def _draft_page(
    request, application, form, formset, document_form=None, *, status=200, submission_errors=None
):
    missing = [
        (f"id_{field}" if field in form.fields else SECTION_ANCHORS.get(field, ""), message)
        for field, field_messages in rules.completeness_errors(
            application, during_call=application.state == State.DRAFT
        ).items()
        for message in field_messages
    ]
    section_errors = {
        field: field_messages
        for field, field_messages in (submission_errors or {}).items()
        if field not in form.fields
    }
    document_form = document_form or _document_form(application)
    new_lines = formset.forms[formset.initial_form_count() :]
    return render(
        request,
        "grants/application_edit.html",
        {
            "application": application,
            "form": form,
            "formset": formset,
            "saved_lines": formset.forms[: formset.initial_form_count()],
            "new_lines": new_lines,
            # Blank lines stay folded away unless there is nothing else yet, they hold input, or the
            # applicant asked for one more.
            "new_lines_open": not formset.initial_form_count()
            or "blank" in request.GET
            or "add_line" in request.POST
            or any(line.is_bound and line.has_changed() for line in new_lines),
            "missing": missing,
            "submission_refused": bool(submission_errors),
            "error_summary": (
                _error_summary(form, formset, document_form) if form.is_bound or submission_errors else []
            ),
            "section_errors": section_errors,
            "budget_total": application.budget_total,
            "entered_total": entered_total(formset, saved=application.budget_total),
            "document_form": document_form,
            "may_delete_documents": not application.is_submitted,
            **documents_context(application, request.user, url_namespace="grants"),
            **workflow_panel_context(application, request.user),
        },
        status=status,
    )


def after_upload(application, user) -> str:
    """Where the shared upload page goes back to: the draft while it may be edited, else the file."""
    if may_edit(application, user):
        return reverse("grants:application_edit", args=[application.pk]) + "#documents"
    return application.get_absolute_url() + "#documents"


def _blank_lines(request) -> int:
    wanted = request.GET.get("blank", "")
    return min(int(wanted), MAX_LINES) if wanted.isdigit() and int(wanted) > 0 else BLANK_LINES


@login_required
def application_edit(request, pk: int):
    """The draft page. Every button of it saves what was typed (the sections that are right are
    stored even when another is refused) and then does what it says: upload the chosen file, add a
    budget line, go to the upload page for a new version, or delete a document."""
    application = application_in_scope(request, pk)
    if request.method != "POST":
        require(is_applicant(application, request.user))
        if application.state not in EDITABLE_STATES:
            messages.error(request, _("The application can no longer be changed in this state."))
            return redirect(application.get_absolute_url())
        form = DraftForm(application=application, initial=DraftForm.initial_for(application))
        return _draft_page(
            request, application, form, budget_formset(application, blank_lines=_blank_lines(request))
        )

    data = with_one_more_line(request.POST) if "add_line" in request.POST else request.POST
    form = DraftForm(data, application=application)
    formset = budget_formset(application, data)
    form.is_valid()
    # A refusal (403, or 409 once the file has left the draft) is shown by the shared middleware.
    saved = drafting.save_draft_partially(
        acting_user=request.user,
        application=application,
        data=form.draft_data(),
        partners=form.cleaned_data.get("partners"),
        lines=_lines_to_save(formset),
    )
    application = saved.application
    _show_draft_errors(form, formset, saved.errors)

    document_form = _document_form(application, data, request.FILES)
    uploaded = None
    if "upload" in data or request.FILES.get(f"{document_form.prefix}-content"):
        uploaded = _upload(request, application, document_form)
    else:  # no upload asked for: keep the chosen type, without asking for a file
        chosen = data.get(f"{document_form.prefix}-document_type")
        document_form = DocumentForm(file=application, prefix="document", initial={"document_type": chosen})
    if uploaded is not None:
        messages.success(request, _("“%(name)s” was uploaded.") % {"name": uploaded.original_name})
    if form.errors or formset.total_error_count() or document_form.errors:
        return _draft_page(request, application, form, formset, document_form, status=400)

    edit = reverse("grants:application_edit", args=[application.pk])
    if saved.changed:
        messages.success(request, _("The draft was saved."))
    if uploaded is not None:
        return redirect(edit + "#documents")
    if "add_line" in data:
        blank = sum(1 for line in formset.extra_forms if not line.has_changed())
        return redirect(f"{edit}?blank={max(blank, 1)}#budget")
    if (wanted := data.get("replace_document", "")).isdigit():
        upload_page = reverse("grants:document_upload", args=[application.pk])
        return redirect(f"{upload_page}?replaces={wanted}&next={edit}%23documents")
    if (wanted := data.get("delete_document", "")).isdigit():
        return _delete(request, application, wanted, back_to=edit + "#documents")
    if not saved.changed:
        messages.info(request, _("Nothing had changed since the last save."))
    return redirect(edit)


def _upload(request, application, document_form):
    """The file chosen in the draft's form, attached once the draft is saved; None if refused."""
    if not document_form.is_valid():
        return None
    try:
        return drafting.upload_document(
            acting_user=request.user,
            application=application,
            document_type=document_form.cleaned_data["document_type"],
            upload=document_form.cleaned_data["content"],
        )
    except ValidationError as error:
        document_form.add_error("content", error)
        return None


def _delete(request, application, document_pk: str, *, back_to: str) -> HttpResponse:
    document = get_object_or_404(Document.objects.for_file(application), pk=document_pk)
    try:
        drafting.delete_document(acting_user=request.user, application=application, document=document)
    except (Conflict, ValidationError) as refusal:
        messages.error(request, getattr(refusal, "message", None) or " ".join(refusal.messages))
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": document.original_name})
    return redirect(back_to)


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
            if allowed and (errors := rules.completeness_errors(file, during_call=name == "submit")):
                return _submission_refused(request, file, errors)
        return super().post(request, pk, name)
