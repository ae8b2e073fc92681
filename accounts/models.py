"""Users, administrations and their staff roles, organisations, memberships and recognitions.

Reference data that SPEC marks as configurable (Brussels municipalities and postal codes, joint
committees, recognising authorities and the administration each routes to) lives in tables that
administrators edit in the Django admin.
"""

import secrets
from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .validators import validate_bic, validate_enterprise_number, validate_iban


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class TranslatedNameMixin(models.Model):
    """Reference rows named in French and Dutch (English falls back to French)."""

    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_nl if (get_language() or "fr").startswith("nl") else self.name_fr


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name} <{self.email}>" if full_name else self.email


class Administration(TranslatedNameMixin):
    """An administration that handles files: Cocof or Iriscare."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    iban = models.CharField(
        _("IBAN (payments leave from)"), max_length=34, blank=True, validators=[validate_iban]
    )
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])

    class Meta:
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        ordering = ["code"]


class StaffRole(models.Model):
    """What a member of an administration's staff may do there."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Officer")
        APPROVER = "approver", _("Approver")
        FINANCE = "finance", _("Finance")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("user")
    )
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="staff_roles", verbose_name=_("administration")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "administration", "role"], name="unique_staff_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user.email}: {self.get_role_display()} ({self.administration.code})"


class Municipality(TranslatedNameMixin):
    """A municipality; `in_region` marks the 19 of the Brussels-Capital Region (configurable)."""

    nis_code = models.CharField(_("NIS code"), max_length=5, unique=True)
    in_region = models.BooleanField(_("in the Brussels-Capital Region"), default=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["nis_code"]


class PostalCode(models.Model):
    code = models.CharField(_("postal code"), max_length=4)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="postal_codes", verbose_name=_("municipality")
    )

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "municipality"], name="unique_postal_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.municipality.name}"


class JointCommittee(TranslatedNameMixin):
    """A joint committee (PC / CP); `eligible` marks those the schemes accept (configurable)."""

    number = models.CharField(_("number"), max_length=10, unique=True)
    eligible = models.BooleanField(_("eligible"), default=False)

    class Meta:
        verbose_name = _("joint committee")
        verbose_name_plural = _("joint committees")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} – {self.name}"


class RecognitionAuthority(TranslatedNameMixin):
    """An authority that recognises non-profits, and the administration its files are routed to."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    in_scope = models.BooleanField(_("in scope of the non-profit agreement"), default=True)
    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        related_name="authorities",
        verbose_name=_("routed to administration"),
    )

    class Meta:
        verbose_name = _("recognising authority")
        verbose_name_plural = _("recognising authorities")
        ordering = ["code"]


class LegalForm(models.TextChoices):
    ASBL = "asbl", _("Non-profit association (ASBL / VZW)")
    AISBL = "aisbl", _("International non-profit association (AISBL / IVZW)")
    PRIVATE_FOUNDATION = "private_foundation", _("Private foundation")
    PUBLIC_UTILITY_FOUNDATION = "public_utility_foundation", _("Foundation of public utility")
    MUTUALITY = "mutuality", _("Mutuality")
    NGO = "ngo", _("Registered NGO (non-profit)")
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    OTHER = "other", _("Other")


NON_PROFIT_LEGAL_FORMS = frozenset(
    {
        LegalForm.ASBL,
        LegalForm.AISBL,
        LegalForm.PRIVATE_FOUNDATION,
        LegalForm.PUBLIC_UTILITY_FOUNDATION,
        LegalForm.MUTUALITY,
        LegalForm.NGO,
    }
)


class Organisation(models.Model):
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_nl = models.CharField(_("name in Dutch"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=40, choices=LegalForm.choices)
    enterprise_number = models.CharField(
        _("enterprise number (BCE/KBO)"), max_length=10, unique=True, validators=[validate_enterprise_number]
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=4)
    city = models.CharField(_("municipality"), max_length=100)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, validators=[validate_bic])
    email = models.EmailField(_("contact e-mail"))
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    headcount_fte = models.DecimalField(
        _("headcount (FTE)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    annual_budget = models.DecimalField(
        _("last annual budget (EUR)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    joint_committees = models.ManyToManyField(
        JointCommittee, blank=True, related_name="organisations", verbose_name=_("joint committees")
    )
    is_mentor = models.BooleanField(_("approved mentor"), default=False)
    is_financial_institution = models.BooleanField(_("financial institution (lender)"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set when the organisation first submits a file: from then on its enterprise number is
    # published (open data) and cited in decisions, so only an officer may correct it.
    identity_locked_at = models.DateTimeField(_("identity locked at"), null=True, blank=True, editable=False)
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_fr", "name_nl"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_fr="") | ~Q(name_nl=""), name="organisation_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("nl"):
            return self.name_nl or self.name_fr
        return self.name_fr or self.name_nl

    @property
    def identity_is_locked(self) -> bool:
        return self.identity_locked_at is not None

    @property
    def is_non_profit(self) -> bool:
        return self.legal_form in NON_PROFIT_LEGAL_FORMS

    def clean(self) -> None:
        if not (self.name_fr or "").strip() and not (self.name_nl or "").strip():
            raise ValidationError(
                {"name_fr": _("Give the organisation's name in French, in Dutch or in both.")}
            )
        if self.postal_code and not (self.postal_code.isdigit() and len(self.postal_code) == 4):
            raise ValidationError({"postal_code": _("A Belgian postal code has 4 digits.")})


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user.email} – {self.organisation} ({self.get_role_display()})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An organisation administrator invites a colleague by e-mail."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class RecognitionQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> "RecognitionQuerySet":
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class Recognition(models.Model):
    """An organisation's recognition by an authority, the basis of eligibility and routing."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("organisation")
    )
    authority = models.ForeignKey(
        RecognitionAuthority,
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("authority"),
    )
    joint_committee = models.ForeignKey(
        JointCommittee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("joint committee"),
    )
    reference = models.CharField(_("recognition reference"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    under_agreement = models.BooleanField(_("under the 2021–2024 non-profit agreement"), default=True)
    evidence = models.FileField(_("evidence document"), upload_to="recognitions/%Y/", blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="recognition_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.reference}"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end of validity cannot be before its start.")})
