"""Factories for every model the foundation has, with traits per state."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import (
    Administration,
    JointCommittee,
    LegalForm,
    Membership,
    Organisation,
    Recognition,
    RecognitionAuthority,
    StaffRole,
    User,
)
from core.models import PaymentOrder

PASSWORD = "correct-horse-battery-staple"


def enterprise_number(n: int) -> str:
    """A valid BCE/KBO number (mod 97) for sequence number n."""
    base = f"{4_000_000 + n:08d}"
    return f"{base}{97 - int(base) % 97:02d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    preferred_language = "fr"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def administration(code: str) -> Administration:
    from accounts.reference_data import load_reference_data

    found = Administration.objects.filter(code=code).first()
    if found is None:
        load_reference_data()
        found = Administration.objects.get(code=code)
    return found


def authority(code: str) -> RecognitionAuthority:
    administration("cocof")
    return RecognitionAuthority.objects.get(code=code)


def joint_committee(number: str) -> JointCommittee:
    administration("cocof")
    return JointCommittee.objects.get(number=number)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An eligible Brussels non-profit by default."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name_fr = factory.Sequence(lambda n: f"Association n°{n}")
    name_nl = factory.Sequence(lambda n: f"Vereniging nr. {n}")
    legal_form = LegalForm.ASBL
    enterprise_number = factory.Sequence(enterprise_number)
    street = "Rue Haute 1"
    postal_code = "1000"
    city = "Bruxelles"
    iban = "BE71096123456769"
    bic = "GKCCBEBB"
    email = factory.Sequence(lambda n: f"contact{n}@asbl.example")
    preferred_language = "fr"
    headcount_fte = Decimal("10.00")
    annual_budget = Decimal("500000.00")

    class Params:
        lender = factory.Trait(legal_form=LegalForm.COMPANY, is_financial_institution=True)
        outside_brussels = factory.Trait(postal_code="4000", city="Liège")

    @factory.post_generation
    def joint_committees(obj, create, extracted, **kwargs):
        if create:
            numbers = ["319"] if extracted is None else extracted
            obj.joint_committees.set([joint_committee(number) for number in numbers])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN


class RecognitionFactory(factory.django.DjangoModelFactory):
    """A verified Cocof recognition under the agreement, valid today."""

    class Meta:
        model = Recognition

    organisation = factory.SubFactory(OrganisationFactory)
    authority = factory.LazyFunction(lambda: authority("cocof"))
    joint_committee = factory.LazyFunction(lambda: joint_committee("319"))
    reference = factory.Sequence(lambda n: f"REC-{n:05d}")
    valid_from = factory.LazyFunction(lambda: date.today() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=365))
    under_agreement = True
    verified_at = factory.LazyFunction(timezone.now)

    class Params:
        unverified = factory.Trait(verified_at=None)
        expired = factory.Trait(
            valid_from=factory.LazyFunction(lambda: date.today() - timedelta(days=800)),
            valid_until=factory.LazyFunction(lambda: date.today() - timedelta(days=1)),
        )
        iriscare = factory.Trait(authority=factory.LazyFunction(lambda: authority("cocom")))


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    administration = factory.LazyFunction(lambda: administration("cocof"))
    role = StaffRole.Role.OFFICER


def applicant(
    organisation: Organisation | None = None, role: str = Membership.Role.ADMIN, **user_fields
) -> User:
    """A user who is a member of `organisation` (a new eligible one by default)."""
    organisation = organisation or RecognitionFactory().organisation
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def staff(role: str = StaffRole.Role.OFFICER, administration_code: str = "cocof", **user_fields) -> User:
    user = UserFactory(**user_fields)
    StaffRoleFactory(user=user, administration=administration(administration_code), role=role)
    return user


class SampleFileFactory(factory.django.DjangoModelFactory):
    """The test-only file type that exercises the shared workflow."""

    class Meta:
        model = "workflow_app.SampleFile"

    organisation = factory.LazyFunction(lambda: RecognitionFactory().organisation)
    title = "Shared accounting office"


class PaymentOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentOrder

    kind = PaymentOrder.Kind.GRANT_ADVANCE
    amount = Decimal("10500.00")
    administration = factory.LazyFunction(lambda: administration("cocof"))
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Organisation))
    object_id = factory.LazyFunction(lambda: OrganisationFactory().pk)
    file_reference = factory.Sequence(lambda n: f"MUT-2026-{n:05d}")
    counterparty_name = "Maison des Solidarités"
    counterparty_iban = "BE71096123456769"
    counterparty_bic = "GKCCBEBB"
    remittance_information = factory.LazyAttribute(lambda o: f"{o.file_reference} advance")
    due_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    created_by = factory.LazyFunction(lambda: staff("approver"))


APPLICANT_ROLES = ["admin", "member", "other_applicant", "mentor", "lender"]
COCOF_STAFF_ROLES = ["officer", "approver", "finance"]
STAFF_ROLES = [*COCOF_STAFF_ROLES, "iriscare_officer"]


def person_with_role(role: str, organisation: Organisation, **user_fields) -> User | None:
    """A user holding one role of SPEC §1; "admin" and "member" belong to `organisation`, the
    others do not ("anonymous" is None)."""
    if role == "anonymous":
        return None
    if role == "admin":
        return applicant(organisation, **user_fields)
    if role == "member":
        return applicant(organisation, role=Membership.Role.MEMBER, **user_fields)
    if role == "other_applicant":
        return applicant(**user_fields)
    if role == "mentor":
        return applicant(
            RecognitionFactory(organisation=OrganisationFactory(is_mentor=True)).organisation, **user_fields
        )
    if role == "lender":
        return applicant(OrganisationFactory(lender=True), **user_fields)
    if role in COCOF_STAFF_ROLES:
        return staff(role, "cocof", **user_fields)
    if role == "iriscare_officer":
        return staff("officer", "iriscare", **user_fields)
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True, **user_fields)
    raise ValueError(f"unknown role {role!r}")
