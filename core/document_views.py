"""Document pages written once for every scheme: upload a typed document (or a new version of one)
and download one. A scheme's URLconf wires them with how it finds files in the user's scope, the
same lookup as its file page, so a file or a document outside the scope answers 404."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .documents import document_series, upload_document
from .exceptions import NotPermitted
from .forms import DocumentForm
from .models import Document

FilesInScope = Callable[[object], QuerySet]  # user -> the files they may see


def documents_context(file, user, *, url_namespace: str) -> dict:
    """What `core/includes/documents.html` needs: the documents with their versions, whether the
    user may upload, and the scheme's document URLs."""
    return {
        "documents_file": file,
        "documents": document_series(file),
        "may_upload": bool(file.may_upload_documents(user)),
        "document_upload_url": f"{url_namespace}:document_upload",
        "document_download_url": f"{url_namespace}:document_download",
    }


def _next_url(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return default


def upload_view(files_in_scope: FilesInScope, *, success_url: Callable[[object, object], str] | None = None):
    """`<file>/documents/`: the upload form (`?replaces=<id>` for a new version) and its POST.

    `success_url(file, user)` says where to go once uploaded (the file's documents by default);
    a safe `next` in the request wins."""

    @login_required
    def view(request, pk: int):
        file = get_object_or_404(files_in_scope(request.user), pk=pk)
        decision = file.may_upload_documents(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        replacing = None
        if (wanted := request.POST.get("replaces") or request.GET.get("replaces", "")).isdigit():
            replacing = Document.objects.for_file(file).filter(pk=wanted).first()
        form = DocumentForm(
            request.POST or None,
            request.FILES or None,
            file=file,
            initial={"replaces": replacing.pk if replacing else None},
        )
        if request.method == "POST" and form.is_valid():
            try:
                document = upload_document(
                    file=file,
                    acting_user=request.user,
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
                default = (
                    success_url(file, request.user) if success_url else file.get_absolute_url() + "#documents"
                )
                return redirect(_next_url(request, default))
        return render(
            request,
            "core/document_form.html",
            {
                "file": file,
                "form": form,
                "replacing": replacing,
                "next": _next_url(request, ""),
            },
            status=400 if form.errors else 200,
        )

    return view


def download_view(files_in_scope: FilesInScope):
    """`<file>/documents/<document_pk>/`: a document of a file in scope, as an attachment."""

    @login_required
    def view(request, pk: int, document_pk: int):
        file = get_object_or_404(files_in_scope(request.user), pk=pk)
        document = get_object_or_404(Document.objects.for_file(file), pk=document_pk)
        try:
            content = document.content.open("rb")
        except OSError:
            raise Http404 from None
        return FileResponse(
            content, as_attachment=True, filename=document.original_name, content_type=document.media_type
        )

    return view
