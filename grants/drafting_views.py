"""Web pages for drafting a grant application: start it, edit the draft (saved as you go, every rule
shown next to its field), its budget and documents, and the transitions (submission included), which
bring an incomplete file back to the draft page with what is missing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import Administration
from accounts.selectors import organisations_of
from core.eligibility import administrations_for
from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import Document
from core.permissions import is_applicant
from core.web import TransitionView, workflow_panel_context

from . import drafting, rules
from .forms import (
    DocumentForm,
    DraftForm,
    StartApplicationForm,
    budget_formset,
    budget_lines_entered,
    show_errors,
)
from .selectors import (
    applications_visible_to,
)
from .states import EDITABLE_STATES, State

# -- helpers -------------------------------------------------------------------------------------
from .views import (
    application_in_scope,
    back_to_file,
    document_series,
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
        except NotPermitted as refusal:
            raise PermissionDenied(refusal.message) from None
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


def _save_draft(user, application, form, formset) -> None:
    lines = [line for _form, line in budget_lines_entered(formset)] if formset.has_changed() else None
    drafting.save_draft(
        acting_user=user,
        application=application,
        data=form.draft_data(),
        partners=form.cleaned_data["partners"],
        lines=lines,
    )


def _show_draft_errors(form, formset, refusal: InvalidInput) -> None:
    lines = budget_lines_entered(formset)
    for field, field_messages in error_messages(refusal).items():
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
            "documents": document_series(application),
            "document_form": DocumentForm(application=application),
            "may_upload": True,
            **workflow_panel_context(application, request.user),
        },
        status=status,
    )


@login_required
def application_edit(request, pk: int):
    application = application_in_scope(request, pk)
    require(is_applicant(application, request.user))
    if application.state not in EDITABLE_STATES:
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
            return back_to_file(request, application, refusal)
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
            if allowed and (errors := rules.completeness_errors(file, during_call=name == "submit")):
                return _submission_refused(request, file, errors)
        return super().post(request, pk, name)


@login_required
def document_upload(request, pk: int):
    application = application_in_scope(request, pk)
    require(application.may_upload_documents(request.user))
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
            document = drafting.upload_document(
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
            if may_edit(application, request.user):
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
    application = application_in_scope(request, pk)
    document = get_object_or_404(Document.objects.for_file(application), pk=document_pk)
    try:
        content = document.content.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        content, as_attachment=True, filename=document.original_name, content_type=document.media_type
    )
