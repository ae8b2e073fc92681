"""Messages on a file (SPEC §9): a thread between the members of the parties that act on the file
(a grant's lead, a guarantee's borrower and lender, a mentoring agreement's mentor and mentee) and
the staff of the file's administration, with attachments and read receipts; and internal notes,
which only that staff ever sees — on a page, in the API, in the history or by e-mail.

One decision function per action, used by the web pages and the API alike."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.selectors import has_staff_role, membership_roles_by_organisation
from accounts.storage import storing_uploads
from accounts.text import clean_text

from .audit import record_event
from .documents import _sha256, validate_upload
from .error_codes import ErrorCode
from .models import Message, MessageAttachment, MessageReceipt
from .notifications import members_of, notify, staff_of
from .permissions import Decision, deny, not_now, require
from .scope import party_organisation_ids

MAX_MESSAGE_LENGTH = 5000
MAX_ATTACHMENTS = 5


def _administration_id(file) -> int | None:
    field = getattr(type(file), "ADMINISTRATION_FIELD", None)
    return getattr(file, f"{field}_id") if field else None


def is_file_staff(file, user) -> bool:
    return has_staff_role(user, _administration_id(file))


def is_acting_member(file, user) -> bool:
    """A member of an organisation that acts on the file (read-only parties such as a grant's
    partners are not in the thread)."""
    organisations = party_organisation_ids(file, acting=True)
    return bool(organisations & set(membership_roles_by_organisation(user)))


def may_read_messages(file, user) -> Decision:
    if is_file_staff(file, user) or is_acting_member(file, user):
        return Decision(True)
    return deny(
        _(
            "Only the members of the organisations acting on this file and its administration take part in its messages."
        ),
        ErrorCode.NOT_IN_THE_THREAD,
    )


def may_post_message(file, user) -> Decision:
    decision = may_read_messages(file, user)
    if not decision:
        return decision
    hidden = tuple(getattr(type(file), "HIDDEN_FROM_STAFF", ()))
    if str(getattr(file, "state", "")) in hidden or _administration_id(file) is None:
        return not_now(
            _("Messages can be sent once the file is submitted: its administration cannot see it before."),
            ErrorCode.THREAD_NOT_OPEN,
        )
    return Decision(True)


def may_write_note(file, user) -> Decision:
    if not is_file_staff(file, user):
        return deny(
            _("Internal notes are for the staff of the file's administration."), ErrorCode.NOTES_ARE_FOR_STAFF
        )
    return Decision(True)


def thread(file, user) -> QuerySet[Message]:
    """The messages `user` may read on `file`, oldest first, with authors, attachments and receipts
    (four queries, however long the thread). Internal notes only for the administration's staff."""
    messages = Message.objects.for_file(file).select_related("author")
    if not is_file_staff(file, user):
        messages = messages.filter(internal=False)
    return messages.prefetch_related(
        "attachments", Prefetch("receipts", queryset=MessageReceipt.objects.select_related("reader"))
    )


def mark_read(messages: Iterable[Message], user) -> int:
    """Receipts for the messages shown to `user` that others wrote and `user` had not read yet."""
    unread = [
        message
        for message in messages
        if message.author_id != user.pk
        and all(receipt.reader_id != user.pk for receipt in message.receipts.all())
    ]
    now = timezone.now()
    MessageReceipt.objects.bulk_create(
        [MessageReceipt(message=message, reader=user, read_at=now) for message in unread],
        ignore_conflicts=True,
    )
    return len(unread)


def unread_count_on(file, user) -> int:
    messages = Message.objects.for_file(file).exclude(author=user).exclude(receipts__reader=user)
    if not is_file_staff(file, user):
        messages = messages.filter(internal=False)
    return messages.count()


def clean_body(body: str) -> str:
    body = clean_text(body or "").strip()
    if not body:
        raise ValidationError({"body": ValidationError(_("Write a message."), code="required")})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("A message has at most %(limit)d characters (this one has %(length)d)."),
                    code="max_length",
                    params={"limit": MAX_MESSAGE_LENGTH, "length": len(body)},
                )
            }
        )
    return body


def check_attachments(uploads: list) -> list[str]:
    """The media type of each upload, checked by content; a refusal names the file."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": ValidationError(
                    _("At most %(limit)d attachments per message."),
                    code="max_count",
                    params={"limit": MAX_ATTACHMENTS},
                )
            }
        )
    media_types = []
    for upload in uploads:
        try:
            media_types.append(validate_upload(upload))
        except ValidationError as error:
            name = getattr(upload, "name", "")
            raise ValidationError(
                {
                    "attachments": [
                        ValidationError(f"{name}: {message}", code=error.code or "invalid")
                        for message in error.messages
                    ]
                }
            ) from None
    return media_types


def _recipients(file, message: Message) -> QuerySet:
    if message.from_administration:
        return members_of(party_organisation_ids(file, acting=True))
    return staff_of(_administration_id(file), "officer", "approver")


@transaction.atomic
def post_message(
    *, file, acting_user, body: str, internal: bool = False, attachments: list | None = None
) -> Message:
    """Send a message (or, for the administration's staff, write an internal note) on `file`.

    The history row and the inbox rows commit with the message; e-mails leave after commit. A note
    notifies no one and its history row is kept for the staff."""
    attachments = list(attachments or [])
    require(may_post_message(file, acting_user), file=file)
    if internal:
        require(may_write_note(file, acting_user), file=file)
    body = clean_body(body)
    media_types = check_attachments(attachments)
    message = Message.objects.create(
        content_type=ContentType.objects.get_for_model(file),
        object_id=file.pk,
        author=acting_user,
        from_administration=is_file_staff(file, acting_user),
        internal=internal,
        body=body,
    )
    with storing_uploads() as store:
        for upload, media_type in zip(attachments, media_types, strict=True):
            attachment = MessageAttachment(
                message=message,
                original_name=getattr(upload, "name", "attachment")[:255],
                media_type=media_type,
                size=upload.size,
                sha256=_sha256(upload),
            )
            store(attachment.content, upload, field="attachments", name=getattr(upload, "name", "attachment"))
            attachment.save()
    record_event(
        target=file,
        event="note_added" if internal else "message_sent",
        acting_user=acting_user,
        parameters={"message": message.pk, "attachments": len(attachments)},
        staff_only=internal,
    )
    if not internal:
        _notify(file, message)
    return message


def _notify(file, message: Message) -> None:
    reference = getattr(file, "reference", "") or ""
    link = file.get_absolute_url() + "messages/" if hasattr(file, "get_absolute_url") else ""
    excerpt = Truncator(message.body).chars(300)
    if message.from_administration:
        subject = _("New message from the administration on %(reference)s")
        body = _(
            "%(author)s wrote on file %(reference)s:\n\n“%(excerpt)s”\n\n"
            "Open the file's messages to read it in full and answer."
        )
    else:
        subject = _("New message from the applicant on %(reference)s")
        body = _(
            "%(author)s wrote on file %(reference)s:\n\n“%(excerpt)s”\n\n"
            "Open the file's messages to read it in full and answer."
        )
    notify(
        recipients=[user for user in _recipients(file, message) if user.pk != message.author_id],
        subject=subject,
        body=body,
        context={
            "author": message.author.get_full_name() or message.author.email,
            "reference": reference,
            "excerpt": excerpt,
        },
        link=link,
    )


def attachment_for(file, user, attachment_pk: int) -> MessageAttachment | None:
    """The attachment, if it belongs to a message on `file` that `user` may read."""
    return (
        MessageAttachment.objects.filter(pk=attachment_pk, message__in=thread(file, user).values("pk"))
        .select_related("message")
        .first()
    )


def summary(file, user, *, url_name: str) -> dict:
    """What `core/includes/messages_summary.html` shows on a file page: how many messages `user`
    may read and how many of them are unread, with the link to the thread (one query)."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.urls import reverse

    if not may_read_messages(file, user):
        return {"messages_summary": None}
    messages = Message.objects.for_file(file)
    if not is_file_staff(file, user):
        messages = messages.filter(internal=False)
    read = MessageReceipt.objects.filter(message=OuterRef("pk"), reader=user)
    counts = messages.annotate(read=Exists(read)).aggregate(
        total=Count("pk"), unread=Count("pk", filter=Q(read=False) & ~Q(author=user))
    )
    return {
        "messages_summary": {
            "url": reverse(url_name, args=[file.pk]),
            "total": counts["total"],
            "unread": counts["unread"],
            "may_post": bool(may_post_message(file, user)),
        }
    }
