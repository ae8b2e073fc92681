"""Recognition pages for officers: the list to verify, the verification, the evidence download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Recognition
from .permissions import OFFICER_ROLES, may_download_evidence
from .selectors import administration_ids_where, recognitions_to_verify
from .views import organisation_in_scope


@login_required
def to_verify(request):
    """Unverified recognitions by authorities routed to the officer's administrations, oldest first."""
    administrations = administration_ids_where(request.user, *OFFICER_ROLES)
    if not administrations:
        raise PermissionDenied(_("Only officers of an administration verify recognitions."))
    return render(
        request,
        "accounts/recognitions_to_verify.html",
        {"recognitions": recognitions_to_verify(administrations)},
    )


@login_required
@require_POST
def verify(request, pk: int, recognition_pk: int):
    organisation = organisation_in_scope(request, pk)
    recognition = get_object_or_404(
        Recognition.objects.select_related("authority"), pk=recognition_pk, organisation=organisation
    )
    try:
        services.verify_recognition(acting_user=request.user, recognition=recognition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The recognition was marked as verified."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("accounts:organisation_detail", pk=organisation.pk)


@login_required
def evidence(request, pk: int, recognition_pk: int):
    """The evidence document, for the organisation's members and the competent administration's staff
    only (everyone else gets 404: documents are never served from a public address)."""
    recognition = get_object_or_404(
        Recognition.objects.select_related("authority"), pk=recognition_pk, organisation_id=pk
    )
    if not recognition.evidence or not may_download_evidence(request.user, recognition):
        raise Http404
    return FileResponse(
        recognition.evidence.open("rb"),
        as_attachment=True,
        filename=recognition.evidence.name.rsplit("/", 1)[-1],
    )
