from django import forms
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .fields import ModelMultipleChoiceField
from .models import JointCommittee, Language, Membership, Organisation, Recognition, RecognitionAuthority
from .validators import normalise_enterprise_number, normalise_iban, validate_upload


def page_language() -> str:
    """The language the page is shown in, when it is one users may prefer (French otherwise)."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in Language.values else Language.FRENCH


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Someone signing up on a Dutch page most likely reads Dutch.
        self.fields["preferred_language"].initial = page_language()

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["first_name", "last_name", "preferred_language"])


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)


class OrganisationForm(forms.ModelForm):
    # Typed as printed ("BE 0403.170.701", 15 characters); the model keeps the 10 digits once
    # normalised, so the model's max_length=10 must not limit what can be typed.
    enterprise_number = forms.CharField(
        label=capfirst(Organisation._meta.get_field("enterprise_number").verbose_name),
        max_length=20,
        help_text=_("10 digits, such as 0403.170.701."),
    )
    joint_committees = ModelMultipleChoiceField(
        label=_("Joint committees"),
        queryset=JointCommittee.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The joint committees (PC / CP) your staff falls under."),
    )

    class Meta:
        model = Organisation
        fields = [
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
            "joint_committees",
        ]
        help_texts = {
            "iban": _("The account grants and compensations are paid to."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("preferred_language", page_language())
        if self.instance.pk and self.instance.identity_is_locked:
            field = self.fields["enterprise_number"]
            field.disabled = True
            field.help_text = _(
                "The organisation has submitted a file: decisions and open data refer to this number, "
                "so it can no longer be changed here. If it is wrong, ask an officer of the administration "
                "to correct it."
            )

    def clean_enterprise_number(self) -> str:
        return normalise_enterprise_number(self.cleaned_data["enterprise_number"])

    def clean_iban(self) -> str:
        return normalise_iban(self.cleaned_data["iban"])

    def clean_bic(self) -> str:
        return self.cleaned_data["bic"].replace(" ", "").upper()


class RecognitionForm(forms.ModelForm):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=RecognitionAuthority.objects.all())

    class Meta:
        model = Recognition
        fields = [
            "authority",
            "joint_committee",
            "reference",
            "valid_from",
            "valid_until",
            "under_agreement",
            "evidence",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and hasattr(evidence, "read"):
            validate_upload(evidence)
        return evidence


class EnterpriseNumberCorrectionForm(forms.Form):
    """An officer corrects an organisation's enterprise number and says why (kept in the history)."""

    enterprise_number = forms.CharField(
        label=_("Correct enterprise number"), max_length=20, help_text=_("10 digits, such as 0403.170.701.")
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the organisation's history."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class EligibilityCheckForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    scheme = forms.ChoiceField(label=_("Scheme"))

    def __init__(self, *args, organisations, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["scheme"].choices = [(scheme.code, scheme.label) for scheme in schemes]
