"""The instruction controls of a file page, written once for every scheme: assign the file, ask
officers to review it, declare a conflict of interest. A scheme's URLconf wires one URL with how it
finds files in the user's scope (outside it: 404):

    path("applications/<int:pk>/instruction/", instruction_views.instruction_view(applications_visible_to),
         name="instruction"),
"""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from . import instruction
from .document_views import FilesInScope
from .forms import ConflictDeclarationForm
from .permissions import is_officer


def instruction_view(files_in_scope: FilesInScope):
    @login_required
    @require_POST
    def view(request, pk: int):
        file = get_object_or_404(files_in_scope(request.user), pk=pk)
        prefetch_related_objects([file], "conflict_declarations")
        if not is_officer(file, request.user):
            raise PermissionDenied(is_officer(file, request.user).reason)
        back = file.get_absolute_url() + "#instruction"
        action = request.POST.get("action", "")
        try:
            if action == "declare":
                form = ConflictDeclarationForm(request.POST)
                if not form.is_valid():
                    return _declaration_page(request, file, form)
                try:
                    instruction.declare_conflict(
                        file=file,
                        acting_user=request.user,
                        has_conflict=form.cleaned_data["has_conflict"],
                        explanation=form.cleaned_data["explanation"],
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        form.add_error(field, errors)
                    return _declaration_page(request, file, form)
                flash.success(request, _("Your declaration was recorded."))
            elif action in {"assign", "take", "unassign"}:
                officer = None
                if action == "take":
                    officer = request.user
                elif action == "assign":
                    wanted = request.POST.get("officer", "")
                    officer = (
                        User.objects.filter(pk=int(wanted)).first()
                        if wanted.isdigit() and len(wanted) < 19
                        else None
                    )
                    if officer is None:
                        raise instruction._officer_error("officer")
                instruction.assign(file=file, acting_user=request.user, officer=officer)
                flash.success(request, _("The assignment was saved."))
            elif action == "request_reviews":
                ids = [
                    int(one) for one in request.POST.getlist("officers") if one.isdigit() and len(one) < 19
                ]
                officers = list(User.objects.filter(pk__in=ids))
                if not officers or len(officers) != len(set(ids)):
                    raise instruction._officer_error("officers")
                instruction.request_reviews(file=file, acting_user=request.user, officers=officers)
                flash.success(request, _("The officers were asked to review the file."))
            else:
                flash.error(request, _("Unknown action."))
        except ValidationError as error:
            flash.error(request, " ".join(error.messages))
        return redirect(back)

    return view


def _declaration_page(request, file, form):
    return render(
        request,
        "core/conflict_declaration.html",
        {"file": file, "form": form, "parties": instruction.party_names(file)},
        status=400,
    )
