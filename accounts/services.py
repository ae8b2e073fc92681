"""Every write about accounts and organisations; web views and API endpoints both call these."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import signals
from .models import Invitation, Membership, Organisation, Recognition, User
from .permissions import may_correct_enterprise_number, may_verify_recognition
from .selectors import forget_cached_roles, is_admin_of, is_member_of
from .storage import storing_uploads
from .text import clean_text
from .validators import normalise_enterprise_number, validate_enterprise_number

ORGANISATION_FIELDS = [
    "name_fr",
    "name_nl",
    "legal_form",
    "enterprise_number",
    "street",
    "postal_code",
    "city",
    "iban",
    "bic",
    "email",
    "preferred_language",
    "headcount_fte",
    "annual_budget",
]

# Changes to these are recorded by name only: the history is read by many, personal data is not.
PERSONAL_FIELDS = frozenset({"email"})

IDENTITY_LOCKED = "identity_locked"


def _require_admin(user: User, organisation: Organisation) -> None:
    if not is_admin_of(user, organisation.pk):
        raise PermissionDenied(gettext_lazy("Only administrators of the organisation may do this."))


@transaction.atomic
def create_organisation(*, acting_user: User, data: dict, joint_committees=()) -> Organisation:
    """The creator becomes the organisation's first administrator."""
    organisation = Organisation(**{name: data[name] for name in ORGANISATION_FIELDS if name in data})
    organisation.full_clean()
    organisation.save()
    organisation.joint_committees.set(joint_committees)
    Membership.objects.create(user=acting_user, organisation=organisation, role=Membership.Role.ADMIN)
    forget_cached_roles(acting_user)
    signals.organisation_created.send(sender=Organisation, organisation=organisation, acting_user=acting_user)
    return organisation


def organisation_snapshot(organisation: Organisation) -> dict:
    """The values whose changes the history records (joint committees by number)."""
    values = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    values["joint_committees"] = sorted(organisation.joint_committees.values_list("number", flat=True))
    return values


def _changes(before: dict, after: dict) -> dict:
    """{field: {"before": old, "after": new}} for what differs; personal fields without their values."""
    return {
        name: {} if name in PERSONAL_FIELDS else {"before": before[name], "after": after[name]}
        for name in after
        if before[name] != after[name]
    }


def identity_locked_error() -> ValidationError:
    return ValidationError(
        {
            "enterprise_number": ValidationError(
                _(
                    "The enterprise number can no longer be changed: the organisation has submitted a file, "
                    "and decisions and open data refer to it. Ask an officer of the administration to correct it."
                ),
                code=IDENTITY_LOCKED,
            )
        }
    )


@transaction.atomic
def update_organisation(*, acting_user: User, organisation: Organisation, data: dict, joint_committees=None):
    _require_admin(acting_user, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = organisation_snapshot(organisation)
    if (
        organisation.identity_is_locked
        and "enterprise_number" in data
        and data["enterprise_number"] != organisation.enterprise_number
    ):
        raise identity_locked_error()
    for name in ORGANISATION_FIELDS:
        if name in data:
            setattr(organisation, name, data[name])
    organisation.full_clean()
    organisation.save()
    if joint_committees is not None:
        organisation.joint_committees.set(joint_committees)
    announce_organisation_change(acting_user=acting_user, organisation=organisation, before=before)
    return organisation


def announce_organisation_change(*, acting_user: User, organisation: Organisation, before: dict) -> None:
    """Inside the transaction of the change: tell the history what differs from `before`, if anything.
    The Django admin calls it too, so that its edits leave the same trace."""
    changes = _changes(before, organisation_snapshot(organisation))
    if changes:
        signals.organisation_changed.send(
            sender=Organisation, organisation=organisation, acting_user=acting_user, changes=changes
        )


@transaction.atomic
def correct_enterprise_number(
    *, acting_user: User, organisation: Organisation, enterprise_number: str, reason: str
) -> Organisation:
    """An officer corrects the enterprise number of an organisation (locked or not), saying why."""
    decision = may_correct_enterprise_number(acting_user, organisation)
    if not decision:
        raise PermissionDenied(decision.reason)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    reason = clean_text(reason or "")
    number = normalise_enterprise_number(enterprise_number)
    errors = {}
    if not reason:
        errors["reason"] = [
            ValidationError(_("Say why the enterprise number is corrected."), code="required")
        ]
    try:
        validate_enterprise_number(number)
    except ValidationError as error:
        errors["enterprise_number"] = [error]
    else:
        if number == organisation.enterprise_number:
            errors["enterprise_number"] = [
                ValidationError(_("This is already the organisation's enterprise number."), code="unchanged")
            ]
        elif Organisation.objects.filter(enterprise_number=number).exclude(pk=organisation.pk).exists():
            errors["enterprise_number"] = [
                ValidationError(
                    _("Another organisation is registered with this enterprise number."), code="unique"
                )
            ]
    if errors:
        raise ValidationError(errors)
    before = organisation.enterprise_number
    organisation.enterprise_number = number
    organisation.save(update_fields=["enterprise_number"])
    signals.enterprise_number_corrected.send(
        sender=Organisation,
        organisation=organisation,
        acting_user=acting_user,
        before=before,
        after=number,
        reason=reason,
    )
    return organisation


@transaction.atomic
def add_recognition(*, acting_user: User, organisation: Organisation, data: dict) -> Recognition:
    _require_admin(acting_user, organisation)
    recognition = Recognition(organisation=organisation, **data)
    recognition.full_clean()
    with transaction.atomic(), storing_uploads() as store:
        if recognition.evidence and not recognition.evidence._committed:
            store(recognition.evidence, recognition.evidence.file, field="evidence")
        recognition.save()
    signals.recognition_added.send(sender=Recognition, recognition=recognition, acting_user=acting_user)
    return recognition


@transaction.atomic
def verify_recognition(*, acting_user: User, recognition: Recognition) -> Recognition:
    """An officer confirms the evidence of a recognition (the eligibility rule then passes)."""
    decision = may_verify_recognition(acting_user, recognition)
    if not decision:
        raise PermissionDenied(decision.reason)
    recognition = Recognition.objects.select_for_update().select_related("authority").get(pk=recognition.pk)
    if recognition.verified_at is not None:
        raise ValidationError(_("This recognition is already verified."), code="already_verified")
    recognition.verified_at = timezone.now()
    recognition.verified_by = acting_user
    recognition.save(update_fields=["verified_at", "verified_by"])
    signals.recognition_verified.send(sender=Recognition, recognition=recognition, acting_user=acting_user)
    return recognition


@transaction.atomic
def invite_colleague(*, acting_user: User, organisation: Organisation, email: str, role: str) -> Invitation:
    _require_admin(acting_user, organisation)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=acting_user
    )
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept_invitation", args=[invitation.token])
    language = organisation.preferred_language
    with translation.override(language):
        subject = _("Invitation to join %(organisation)s") % {"organisation": organisation.name}
        body = _(
            "%(inviter)s invites you to join %(organisation)s on the mutualisation support schemes portal.\n\n"
            "Sign in or create an account with this e-mail address, then open: %(link)s\n\n"
            "The invitation is valid for 14 days."
        ) % {
            "inviter": acting_user.get_full_name() or acting_user.email,
            "organisation": organisation.name,
            "link": link,
        }
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


@transaction.atomic
def accept_invitation(*, acting_user: User, token: str) -> Membership:
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").filter(token=token).first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid. Ask for a new one."))
    if invitation.email.lower() != acting_user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=acting_user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = acting_user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_cached_roles(acting_user)
    return membership


@transaction.atomic
def remove_member(*, acting_user: User, membership: Membership) -> None:
    _require_admin(acting_user, membership.organisation)
    admins = Membership.objects.filter(organisation=membership.organisation, role=Membership.Role.ADMIN)
    if membership.role == Membership.Role.ADMIN and admins.count() == 1:
        raise ValidationError(_("An organisation keeps at least one administrator."))
    membership.delete()


def update_profile(*, acting_user: User, first_name: str, last_name: str, preferred_language: str) -> User:
    acting_user.first_name = first_name
    acting_user.last_name = last_name
    acting_user.preferred_language = preferred_language
    acting_user.full_clean()
    acting_user.save(update_fields=["first_name", "last_name", "preferred_language"])
    return acting_user


def can_read_organisation(user: User, organisation: Organisation) -> bool:
    from .selectors import is_staff_member

    return user.is_superuser or is_member_of(user, organisation.pk) or is_staff_member(user)
