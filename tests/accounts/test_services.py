"""Account services: organisations, recognitions, invitations and memberships."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Invitation, LegalForm, Membership
from accounts.services import (
    accept_invitation,
    add_recognition,
    create_organisation,
    invite_colleague,
    remove_member,
    update_organisation,
)
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RecognitionFactory,
    UserFactory,
    applicant,
    authority,
    enterprise_number,
    joint_committee,
)

pytestmark = pytest.mark.django_db


def organisation_data(**overrides) -> dict:
    return {
        "name_fr": "Maison de quartier",
        "name_nl": "Buurthuis",
        "legal_form": LegalForm.ASBL,
        "enterprise_number": enterprise_number(900_001),
        "street": "Rue Haute 1",
        "postal_code": "1000",
        "city": "Bruxelles",
        "iban": "BE68539007547034",
        "bic": "GKCCBEBB",
        "email": "contact@maison.example",
        "preferred_language": "fr",
        "headcount_fte": Decimal("3.50"),
        "annual_budget": Decimal("250000.00"),
        **overrides,
    }


def member_of(organisation, role=Membership.Role.MEMBER, **user_fields):
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_fields)).user


def invite(organisation, email="colleague@example.org", role=Membership.Role.MEMBER, by=None):
    return invite_colleague(
        acting_user=by or member_of(organisation, Membership.Role.ADMIN),
        organisation=organisation,
        email=email,
        role=role,
    )


# -- organisations --------------------------------------------------------------------------------


def test_the_creator_of_an_organisation_becomes_its_administrator():
    creator = UserFactory()

    organisation = create_organisation(
        acting_user=creator, data=organisation_data(), joint_committees=[joint_committee("319")]
    )

    assert Membership.objects.get(organisation=organisation).user == creator
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN
    assert [c.number for c in organisation.joint_committees.all()] == ["319"]


def test_an_organisation_with_an_invalid_enterprise_number_is_not_created():
    with pytest.raises(ValidationError) as refusal:
        create_organisation(acting_user=UserFactory(), data=organisation_data(enterprise_number="0403170702"))

    assert "enterprise_number" in refusal.value.error_dict
    assert not Membership.objects.exists()


def test_an_administrator_may_update_the_organisation():
    organisation = OrganisationFactory()

    update_organisation(
        acting_user=member_of(organisation, Membership.Role.ADMIN),
        organisation=organisation,
        data={"city": "Brussel"},
    )

    organisation.refresh_from_db()
    assert organisation.city == "Brussel"


def test_a_member_who_is_not_administrator_may_not_update_the_organisation():
    organisation = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        update_organisation(
            acting_user=member_of(organisation), organisation=organisation, data={"city": "X"}
        )


# -- recognitions ---------------------------------------------------------------------------------


def test_a_recognition_ending_before_it_starts_is_refused_on_valid_until():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as refusal:
        add_recognition(
            acting_user=member_of(organisation, Membership.Role.ADMIN),
            organisation=organisation,
            data={
                "authority": authority("cocof"),
                "reference": "COCOF-2024-1",
                "valid_from": date(2024, 1, 1),
                "valid_until": date(2023, 12, 31),
            },
        )

    assert "valid_until" in refusal.value.error_dict
    assert not organisation.recognitions.exists()


def test_an_administrator_may_add_a_recognition():
    organisation = OrganisationFactory()

    recognition = add_recognition(
        acting_user=member_of(organisation, Membership.Role.ADMIN),
        organisation=organisation,
        data={"authority": authority("cocom"), "reference": "GGC-1", "valid_from": date(2024, 1, 1)},
    )

    assert recognition.verified_at is None
    assert list(organisation.recognitions.all()) == [recognition]


# -- invitations ----------------------------------------------------------------------------------


def test_an_invitation_is_emailed_after_commit(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        invite(organisation, email="Colleague@Example.org")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["colleague@example.org"]
    assert Invitation.objects.get().token in mail.outbox[0].body


def test_an_invitation_is_written_in_the_organisations_language(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(preferred_language="nl", name_fr="Maison", name_nl="Huis")

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        invite(organisation)

    with translation.override("nl"):
        expected = gettext("Invitation to join %(organisation)s") % {"organisation": "Huis"}
    assert mail.outbox[0].subject == expected


def test_inviting_an_existing_member_is_refused():
    organisation = OrganisationFactory()
    member_of(organisation, email="already@example.org")

    with pytest.raises(ValidationError) as refusal:
        invite(organisation, email="Already@example.org")

    assert "email" in refusal.value.error_dict


def test_a_member_who_is_not_administrator_may_not_invite():
    organisation = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        invite(organisation, by=member_of(organisation))


def test_accepting_an_invitation_creates_a_membership_with_the_invited_role():
    organisation = OrganisationFactory()
    invitation = invite(organisation, email="new.admin@example.org", role=Membership.Role.ADMIN)
    invited = UserFactory(email="new.admin@example.org")

    membership = accept_invitation(acting_user=invited, token=invitation.token)

    assert (membership.user, membership.organisation, membership.role) == (
        invited,
        organisation,
        Membership.Role.ADMIN,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited


def test_an_invitation_cannot_be_accepted_with_another_email_address():
    organisation = OrganisationFactory()
    invitation = invite(organisation, email="invited@example.org")
    someone_else = UserFactory(email="someone.else@example.org")

    with pytest.raises(ValidationError):
        accept_invitation(acting_user=someone_else, token=invitation.token)

    assert not Membership.objects.filter(user=someone_else).exists()


def test_an_expired_invitation_cannot_be_accepted():
    organisation = OrganisationFactory()
    invitation = invite(organisation, email="late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    late = UserFactory(email="late@example.org")

    with pytest.raises(ValidationError):
        accept_invitation(acting_user=late, token=invitation.token)

    assert not Membership.objects.filter(user=late).exists()


def test_an_invitation_cannot_be_accepted_twice():
    organisation = OrganisationFactory()
    invitation = invite(organisation, email="twice@example.org")
    invited = UserFactory(email="twice@example.org")
    accept_invitation(acting_user=invited, token=invitation.token)

    with pytest.raises(ValidationError):
        accept_invitation(acting_user=invited, token=invitation.token)


# -- memberships ----------------------------------------------------------------------------------


def test_the_last_administrator_cannot_be_removed():
    organisation = OrganisationFactory()
    admin = member_of(organisation, Membership.Role.ADMIN)

    with pytest.raises(ValidationError):
        remove_member(acting_user=admin, membership=Membership.objects.get(user=admin))

    assert Membership.objects.filter(user=admin, organisation=organisation).exists()


def test_an_administrator_may_remove_a_member():
    organisation = OrganisationFactory()
    admin = member_of(organisation, Membership.Role.ADMIN)
    member = member_of(organisation)

    remove_member(acting_user=admin, membership=Membership.objects.get(user=member))

    assert not Membership.objects.filter(user=member).exists()


def test_an_administrator_may_be_removed_while_another_remains():
    organisation = OrganisationFactory()
    admin = member_of(organisation, Membership.Role.ADMIN)
    other_admin = member_of(organisation, Membership.Role.ADMIN)

    remove_member(acting_user=admin, membership=Membership.objects.get(user=other_admin))

    assert list(Membership.objects.filter(organisation=organisation).values_list("user", flat=True)) == [
        admin.pk
    ]


def test_an_invitation_with_an_unknown_role_is_refused():
    organisation = RecognitionFactory().organisation
    admin = applicant(organisation)

    with pytest.raises(ValidationError) as refusal:
        invite_colleague(acting_user=admin, organisation=organisation, email="x@example.org", role="owner")

    assert "role" in refusal.value.message_dict
