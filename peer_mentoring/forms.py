"""Web forms of mentoring (parsing only: the rules live in services and rules)."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration, JointCommittee, Organisation
from core.forms import ModelMultipleChoiceField, MultipleFileField
from grants.choices import InitiativeLegalForm, MutualisationType

from .choices import LANGUAGES, Activity
from .models import Mentor
from .states import AgreementState, DeclarationState

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def show_errors(form: forms.Form, errors: dict) -> None:
    """A service's field errors next to the form's fields (the rest above the form)."""
    if not form.is_bound:
        form.full_clean()
    for name, messages in errors.items():
        for message in messages:
            text = message["message"] if isinstance(message, dict) else str(message)
            form.add_error(name if name in form.fields else None, text)


class AgreementForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor organisation"), queryset=Organisation.objects.none())
    mentee = forms.ModelChoiceField(label=_("Mentee organisation"), queryset=Organisation.objects.none())
    project = forms.CharField(label=_("The mentee's project"), max_length=200)
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    planned_hours = forms.DecimalField(
        label=_("Planned hours"), max_digits=6, decimal_places=2, min_value=Decimal("0.25")
    )

    def __init__(self, *args, mentors, mentees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentee"].queryset = mentees


class AgreementDraftForm(AgreementForm):
    """A draft's own terms; its mentor and mentee are fixed when it is started."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args, mentors=Organisation.objects.none(), mentees=Organisation.objects.none(), **kwargs
        )
        del self.fields["mentor"], self.fields["mentee"]


class AgreementFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + AgreementState.choices
    )
    administration = forms.ModelChoiceField(
        label=_("Administration"), required=False, queryset=Administration.objects.all(), to_field_name="code"
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=20)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        administration = data.get("administration")
        return {
            "state": data.get("state") or "",
            "administration": administration.code if administration else "",
            "reference": data.get("reference") or "",
        }


class DeclarationFilterForm(AgreementFilterForm):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + DeclarationState.choices
    )


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month declared"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("One declaration per month."),
    )


class LineForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, required=False)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.25"),
        max_value=24,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=[("", "—"), *Activity.choices], required=False)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("date", "hours", "activity", "description"))

    def clean(self):
        data = super().clean()
        if not self.is_blank():
            for name in ("date", "hours", "activity"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=0, max_num=62, absolute_max=100)


class ProfileForm(forms.Form):
    types = forms.MultipleChoiceField(
        label=_("Types of mutualisation mastered"),
        choices=MutualisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_forms = forms.MultipleChoiceField(
        label=_("Legal forms experienced"),
        choices=InitiativeLegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joint_committees = ModelMultipleChoiceField(
        label=_("Joint committees"),
        queryset=JointCommittee.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    availability_hours = forms.IntegerField(
        label=_("Availability (hours per month)"), min_value=0, max_value=200
    )
    presentation = forms.CharField(
        label=_("Presentation"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )

    @classmethod
    def for_mentor(cls, mentor: Mentor, data=None):
        initial = {
            "types": mentor.types,
            "legal_forms": mentor.legal_forms,
            "languages": mentor.languages,
            "joint_committees": list(mentor.joint_committees.all()),
            "availability_hours": mentor.availability_hours,
            "presentation": mentor.presentation,
        }
        return cls(data=data, initial=initial)


class DirectoryForm(forms.Form):
    """The project a mentor is sought for, prefilled from the organisation's latest grant."""

    types = forms.MultipleChoiceField(
        label=_("Types of mutualisation of your project"),
        choices=MutualisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form of the initiative"),
        choices=[("", "—"), *InitiativeLegalForm.choices],
        required=False,
    )
    joint_committee = forms.ModelChoiceField(
        label=_("Joint committee"),
        queryset=JointCommittee.objects.order_by("number"),
        required=False,
        to_field_name="number",
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("", "—"), *LANGUAGES], required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    available = forms.BooleanField(label=_("Only mentors with hours left this month"), required=False)


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    evidence = forms.CharField(
        label=_("The mutualisation your organisation completed"),
        help_text=_(
            "What was pooled, with whom, since when, and the documents that show it (annual reports, agreements)."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    documents = MultipleFileField(
        label=_("Documents that show it"),
        required=False,
        help_text=_(
            "Optional: annual or activity reports, partnership agreements. PDF, ODT/DOCX, XLSX/ODS, PNG or JPEG."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OverviewForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100, required=False)

    def year_or_current(self) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or date.today().year
