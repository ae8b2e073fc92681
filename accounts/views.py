"""Web pages for accounts and organisations: thin, each calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import services
from .extensions import organisation_sections
from .forms import (
    EnterpriseNumberCorrectionForm,
    InvitationForm,
    OrganisationForm,
    ProfileForm,
    RecognitionForm,
)
from .models import Language, Membership, Organisation
from .permissions import may_correct_enterprise_number, may_download_evidence, may_verify_recognition
from .selectors import is_admin_of, organisations_of


def add_form_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it is about (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
def switch_language(request):
    """Django's set_language, plus: a signed-in user's choice becomes their preferred language."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in Language.values:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return set_language(request)


@login_required
def profile(request):
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "preferred_language": request.user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def organisation_list(request):
    return render(
        request, "accounts/organisation_list.html", {"organisations": organisations_of(request.user)}
    )


def organisation_in_scope(request, pk: int) -> Organisation:
    """Scope: members see their organisations, administration staff see all (404 otherwise)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not services.can_read_organisation(request.user, organisation):
        raise Http404
    return organisation


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "joint_committees"}
        try:
            organisation = services.create_organisation(
                acting_user=request.user, data=data, joint_committees=form.cleaned_data["joint_committees"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The organisation was created; you are its administrator."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


def _organisation_page_context(request, organisation: Organisation, **extra) -> dict:
    recognitions = list(organisation.recognitions.select_related("authority", "joint_committee"))
    for recognition in recognitions:
        recognition.may_verify = bool(may_verify_recognition(request.user, recognition))
        recognition.may_download_evidence = bool(recognition.evidence) and may_download_evidence(
            request.user, recognition
        )
    may_correct = bool(may_correct_enterprise_number(request.user, organisation))
    return {
        "organisation": organisation,
        "memberships": organisation.memberships.select_related("user").order_by("user__email"),
        "recognitions": recognitions,
        "invitations": [i for i in organisation.invitations.all() if i.is_open],
        "is_admin": is_admin_of(request.user, organisation.pk),
        "today": timezone.localdate(),
        "invitation_form": InvitationForm(),
        "correction_form": EnterpriseNumberCorrectionForm() if may_correct else None,
        "organisation_sections": organisation_sections(request, organisation),
        **extra,
    }


@login_required
def organisation_detail(request, pk: int):
    organisation = organisation_in_scope(request, pk)
    return render(
        request, "accounts/organisation_detail.html", _organisation_page_context(request, organisation)
    )


def _organisation_as_admin(request, pk: int) -> Organisation:
    organisation = organisation_in_scope(request, pk)
    if not is_admin_of(request.user, organisation.pk):
        raise PermissionDenied
    return organisation


@login_required
def organisation_edit(request, pk: int):
    organisation = _organisation_as_admin(request, pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "joint_committees"}
        try:
            services.update_organisation(
                acting_user=request.user,
                organisation=organisation,
                data=data,
                joint_committees=form.cleaned_data["joint_committees"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def recognition_add(request, pk: int):
    organisation = _organisation_as_admin(request, pk)
    form = RecognitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_recognition(
                acting_user=request.user, organisation=organisation, data=form.cleaned_data
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The recognition was added."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/recognition_form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def invitation_create(request, pk: int):
    organisation = _organisation_as_admin(request, pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invite_colleague(
                acting_user=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "accounts/organisation_detail.html",
        _organisation_page_context(request, organisation, invitation_form=form),
        status=400,
    )


@login_required
@require_POST
def enterprise_number_correct(request, pk: int):
    organisation = organisation_in_scope(request, pk)
    decision = may_correct_enterprise_number(request.user, organisation)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = EnterpriseNumberCorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correct_enterprise_number(
                acting_user=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The enterprise number was corrected."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "accounts/organisation_detail.html",
        _organisation_page_context(request, organisation, correction_form=form),
        status=400,
    )


@login_required
def accept_invitation(request, token: str):
    if request.method == "POST":
        try:
            membership = services.accept_invitation(acting_user=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:organisation_list")
        messages.success(
            request, _("You joined %(organisation)s.") % {"organisation": membership.organisation}
        )
        return redirect("accounts:organisation_detail", pk=membership.organisation_id)
    return render(request, "accounts/accept_invitation.html", {"token": token})


@login_required
@require_POST
def member_remove(request, pk: int, membership_pk: int):
    organisation = _organisation_as_admin(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    try:
        services.remove_member(acting_user=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s is no longer a member.") % {"person": membership.user.email})
    return redirect("accounts:organisation_detail", pk=organisation.pk)
