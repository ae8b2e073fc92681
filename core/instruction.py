"""Instructing a file, for every file type (SPEC §9): assigning it to an officer of its
administration, an approver asking officers to review it, and each reviewer's declaration of any
conflict of interest with the organisations party to it. A declared conflict removes the officer
from the file's review and decision: schemes add `conflict_declared_first` to their review check
and `free_of_conflict` to their decision check (the four-eyes rule then counts it too).

Checks read the file's prefetched `conflict_declarations` (name it in the model's `CHECKS_PREFETCH`),
so listing a file's actions costs no query per action."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, StaffRole, User
from accounts.text import clean_text

from .audit import record_event
from .error_codes import ErrorCode
from .locking import lock_file
from .models import Assignment, ConflictDeclaration, ReviewRequest
from .notifications import notify
from .permissions import ALLOW, Decision, deny, is_approver, is_officer, not_now, require
from .scope import party_organisation_ids

INSTRUCTING_ROLES = (StaffRole.Role.OFFICER, StaffRole.Role.APPROVER)


def officers_of(file) -> QuerySet[User]:
    """The officers and approvers of the file's administration (whom it can be assigned to)."""
    return (
        User.objects.filter(
            is_active=True,
            staff_roles__administration_id=file.administration_id,
            staff_roles__role__in=INSTRUCTING_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def party_names(file) -> list[str]:
    organisations = Organisation.objects.filter(pk__in=party_organisation_ids(file)).order_by(
        "name_fr", "name_nl"
    )
    return [str(organisation) for organisation in organisations]


def declaration_of(file, user) -> ConflictDeclaration | None:
    return next((one for one in file.conflict_declarations.all() if one.officer_id == user.pk), None)


# -- decisions -----------------------------------------------------------------------------------


def free_of_conflict(file, user) -> Decision:
    """Not someone who declared a conflict of interest on this file (403)."""
    if user is not None and (declared := declaration_of(file, user)) is not None and declared.has_conflict:
        return deny(
            _(
                "You declared a conflict of interest with this file's organisations: you take no part in its review or decision."
            ),
            ErrorCode.CONFLICT_OF_INTEREST,
        )
    return ALLOW


def conflict_declared_first(file, user) -> Decision:
    """A reviewer first says whether they have a conflict of interest (409 until they have)."""
    decision = free_of_conflict(file, user)
    if not decision:
        return decision
    if declaration_of(file, user) is None:
        return not_now(
            _("Declare first whether you have a conflict of interest with the organisations of this file."),
            ErrorCode.CONFLICT_NOT_DECLARED,
        )
    return ALLOW


def may_assign(file, user) -> Decision:
    return is_officer(file, user)


def may_request_reviews(file, user) -> Decision:
    return is_approver(file, user)


def may_declare_conflict(file, user) -> Decision:
    decision = is_officer(file, user)
    if decision and declaration_of(file, user) is not None:
        return not_now(_("You have already declared it for this file."), ErrorCode.ALREADY_DECLARED)
    return decision


# -- services ------------------------------------------------------------------------------------


def _officer_error(field: str) -> ValidationError:
    return ValidationError(
        {field: ValidationError(_("Choose an officer of the file's administration."), code="invalid_choice")}
    )


def _fresh(file):
    """The file locked, with what the checks read."""
    locked = lock_file(type(file), file.pk)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([locked], "conflict_declarations")
    return locked


@transaction.atomic
def assign(*, file, acting_user, officer: User | None):
    """Assign the file to `officer` (None: to no one). The officer is told, unless they took it."""
    file = _fresh(file)
    require(may_assign(file, acting_user), file=file)
    if officer is not None:
        if not officers_of(file).filter(pk=officer.pk).exists():
            raise _officer_error("officer")
        require(free_of_conflict(file, officer), file=file)
    content_type = ContentType.objects.get_for_model(file)
    current = Assignment.objects.filter(content_type=content_type, object_id=file.pk).first()
    if (current.officer_id if current else None) == (officer.pk if officer else None):
        return current
    if current is not None:
        current.delete()
    assignment = None
    if officer is not None:
        assignment = Assignment.objects.create(
            content_type=content_type, object_id=file.pk, officer=officer, assigned_by=acting_user
        )
    record_event(
        target=file,
        event="assigned" if officer else "unassigned",
        acting_user=acting_user,
        parameters={"officer": officer.email if officer else None},
        staff_only=True,
    )
    if officer is not None and officer.pk != acting_user.pk:
        notify(
            recipients=[officer],
            subject=_("File %(reference)s was assigned to you"),
            body=_(
                "%(by)s assigned file %(reference)s to you. It is now in your work queue under “Mine”; "
                "open it to take the next step."
            ),
            context={
                "reference": file.reference or "",
                "by": acting_user.get_full_name() or acting_user.email,
            },
            link=file.get_absolute_url(),
        )
    return assignment


@transaction.atomic
def request_reviews(*, file, acting_user, officers: list[User]) -> list[ReviewRequest]:
    """An approver asks officers of the file's administration to review it; each is told to declare
    any conflict of interest first."""
    file = _fresh(file)
    require(may_request_reviews(file, acting_user), file=file)
    allowed = set(officers_of(file).values_list("pk", flat=True))
    if not officers or any(officer.pk not in allowed for officer in officers):
        raise _officer_error("officers")
    content_type = ContentType.objects.get_for_model(file)
    created = []
    for officer in officers:
        if (
            free_of_conflict(file, officer)
            and not ReviewRequest.objects.filter(
                content_type=content_type, object_id=file.pk, officer=officer
            ).exists()
        ):
            created.append(
                ReviewRequest.objects.create(
                    content_type=content_type, object_id=file.pk, officer=officer, requested_by=acting_user
                )
            )
    if created:
        record_event(
            target=file,
            event="review_requested",
            acting_user=acting_user,
            parameters={"officers": [request.officer.email for request in created]},
            staff_only=True,
        )
        notify(
            recipients=[request.officer for request in created],
            subject=_("Please review file %(reference)s"),
            body=_(
                "%(by)s asks you to review file %(reference)s. On the file's page, first declare whether "
                "you have a conflict of interest with its organisations, then record your review."
            ),
            context={
                "reference": file.reference or "",
                "by": acting_user.get_full_name() or acting_user.email,
            },
            link=file.get_absolute_url(),
        )
    return created


@transaction.atomic
def declare_conflict(*, file, acting_user, has_conflict: bool, explanation: str = "") -> ConflictDeclaration:
    """Once per officer and file. A conflict takes the officer off the file: their assignment ends
    and they may neither review nor decide."""
    file = _fresh(file)
    require(may_declare_conflict(file, acting_user), file=file)
    explanation = clean_text(explanation or "").strip()
    if has_conflict and not explanation:
        raise ValidationError(
            {
                "explanation": ValidationError(
                    _("Say briefly what links you to the organisation."), code="required"
                )
            }
        )
    declaration = ConflictDeclaration.objects.create(
        content_type=ContentType.objects.get_for_model(file),
        object_id=file.pk,
        officer=acting_user,
        has_conflict=has_conflict,
        explanation=explanation,
    )
    record_event(
        target=file,
        event="conflict_declared" if has_conflict else "no_conflict_declared",
        acting_user=acting_user,
        comment=explanation,
        staff_only=True,
    )
    if has_conflict:
        Assignment.objects.filter(
            content_type=declaration.content_type, object_id=file.pk, officer=acting_user
        ).delete()
    return declaration


def panel_context(file, user, *, url_name: str) -> dict:
    """What `core/includes/instruction_panel.html` shows the file's staff (nothing to others)."""
    if not is_officer(file, user):
        return {"instruction": None}
    content_type = ContentType.objects.get_for_model(file)
    assignment = (
        Assignment.objects.filter(content_type=content_type, object_id=file.pk)
        .select_related("officer")
        .first()
    )
    declarations = {one.officer_id: one for one in file.conflict_declarations.all()}
    requests = list(
        ReviewRequest.objects.filter(content_type=content_type, object_id=file.pk).select_related("officer")
    )
    for request in requests:
        request.declaration = declarations.get(request.officer_id)
    mine = declarations.get(user.pk)
    return {
        "instruction": {
            "url": _url(url_name, file),
            "assignment": assignment,
            "officers": list(officers_of(file)) if may_assign(file, user) else [],
            "may_request_reviews": bool(may_request_reviews(file, user)),
            "review_requests": requests,
            "my_declaration": mine,
            "parties": party_names(file) if mine is None else [],
            "conflict_form": _conflict_form() if mine is None else None,
        }
    }


def _conflict_form():
    from .forms import ConflictDeclarationForm

    return ConflictDeclarationForm()


def _url(url_name: str, file) -> str:
    from django.urls import reverse

    return reverse(url_name, args=[file.pk])
