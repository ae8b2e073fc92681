"""Every write about accounts and organisations; web views and API endpoints both call these."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Invitation, Membership, Organisation, Recognition, User
from .selectors import forget_cached_roles, is_admin_of, is_member_of

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
    return organisation


@transaction.atomic
def update_organisation(*, acting_user: User, organisation: Organisation, data: dict, joint_committees=None):
    _require_admin(acting_user, organisation)
    for name in ORGANISATION_FIELDS:
        if name in data:
            setattr(organisation, name, data[name])
    organisation.full_clean()
    organisation.save()
    if joint_committees is not None:
        organisation.joint_committees.set(joint_committees)
    return organisation


@transaction.atomic
def add_recognition(*, acting_user: User, organisation: Organisation, data: dict) -> Recognition:
    _require_admin(acting_user, organisation)
    recognition = Recognition(organisation=organisation, **data)
    recognition.full_clean()
    recognition.save()
    return recognition


@transaction.atomic
def verify_recognition(*, acting_user: User, recognition: Recognition) -> Recognition:
    """An officer confirms the evidence of a recognition (the eligibility rule then passes)."""
    from .models import StaffRole
    from .selectors import has_staff_role

    # The officers of the administration the recognising authority routes files to.
    if not has_staff_role(
        acting_user, recognition.authority.administration_id, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER
    ):
        raise PermissionDenied(
            gettext_lazy("Only officers of the administration competent for this authority may verify it.")
        )
    recognition.verified_at = timezone.now()
    recognition.verified_by = acting_user
    recognition.save(update_fields=["verified_at", "verified_by"])
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
