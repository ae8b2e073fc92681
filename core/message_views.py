"""The messages page of a file, written once for every scheme. A scheme's URLconf wires it with how
it finds files in the user's scope (the same lookup as its file page), so a file outside the scope
answers 404 and its messages and attachments with it:

    path("applications/<int:pk>/messages/", message_views.thread_view(applications_visible_to, url_namespace="grants"),
         name="messages"),
    path("applications/<int:pk>/messages/attachments/<int:attachment_pk>/",
         message_views.attachment_view(applications_visible_to), name="message_attachment"),
"""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import messaging
from .document_views import FilesInScope
from .forms import MessageForm
from .permissions import require


def thread_view(files_in_scope: FilesInScope, *, url_namespace: str = "", attachment_url: str = ""):
    """`attachment_url` names the attachment download of this file type (by default
    `<url_namespace>:message_attachment`, for a scheme with one file type)."""
    attachment_url = attachment_url or f"{url_namespace}:message_attachment"

    @login_required
    def view(request, pk: int):
        file = get_object_or_404(files_in_scope(request.user), pk=pk)
        require(messaging.may_read_messages(file, request.user), file=file)
        may_post = messaging.may_post_message(file, request.user)
        may_write_notes = bool(messaging.may_write_note(file, request.user))
        form = MessageForm(request.POST or None, request.FILES or None, may_write_notes=may_write_notes)
        if request.method == "POST":
            require(may_post, file=file)
            if form.is_valid():
                try:
                    message = messaging.post_message(
                        file=file,
                        acting_user=request.user,
                        body=form.cleaned_data["body"],
                        internal=form.cleaned_data.get("internal", False),
                        attachments=form.cleaned_data["attachments"],
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    flash.success(
                        request,
                        _("Your internal note was saved.")
                        if message.internal
                        else _("Your message was sent."),
                    )
                    return redirect(request.path + f"#message-{message.pk}")
        thread = list(messaging.thread(file, request.user))
        messaging.mark_read(thread, request.user)
        return render(
            request,
            "core/messages.html",
            {
                "file": file,
                "thread": thread,
                "form": form,
                "may_post": bool(may_post),
                "post_refusal": may_post.reason if not may_post else "",
                "is_file_staff": may_write_notes,
                "attachment_url": attachment_url,
            },
            status=400 if form.errors else 200,
        )

    return view


def attachment_view(files_in_scope: FilesInScope):
    @login_required
    def view(request, pk: int, attachment_pk: int):
        file = get_object_or_404(files_in_scope(request.user), pk=pk)
        if not messaging.may_read_messages(file, request.user):
            raise Http404
        attachment = messaging.attachment_for(file, request.user, attachment_pk)
        if attachment is None:
            raise Http404
        try:
            content = attachment.content.open("rb")
        except OSError:
            raise Http404 from None
        return FileResponse(
            content, as_attachment=True, filename=attachment.original_name, content_type=attachment.media_type
        )

    return view
