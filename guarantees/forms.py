"""Web forms of the guarantee scheme (parsing only: the rules live in the services)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.money import format_money
from grants.models import GrantApplication

from .choices import Rating, Recommendation, RepaymentProfile
from .models import GuaranteeRequest
from .rules import parameters_in_force
from .states import State

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2}


def show_errors(form: forms.Form, errors: dict) -> None:
    """Put a service's field errors next to the fields they are about."""
    if not form.is_bound:
        form.full_clean()
        form.cleaned_data = {}
    for field, messages in errors.items():
        for message in messages:
            text = message["message"] if isinstance(message, dict) else str(message)
            form.add_error(field if field in form.fields else None, text)


class RequestForm(forms.ModelForm):
    """The borrower's request; every field may stay empty in a draft."""

    class Meta:
        model = GuaranteeRequest
        fields = [
            "borrower",
            "lender",
            "purpose",
            "grant",
            "loan_amount",
            "duration_months",
            "interest_rate",
            "repayment_profile",
            "requested_coverage",
            "collateral",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "collateral": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        self.fields["borrower"].empty_label = None
        self.fields["lender"].queryset = Organisation.objects.filter(is_financial_institution=True).order_by(
            "name_fr", "name_nl"
        )
        self.fields["lender"].label_from_instance = lambda lender: f"{lender.name} ({lender.bic})"
        self.fields["grant"].queryset = GrantApplication.objects.filter(
            lead_organisation__in=organisations
        ).exclude(reference=None)
        self.fields["grant"].label_from_instance = lambda grant: f"{grant.reference} – {grant.title}"
        self.fields["repayment_profile"].choices = [("", "—"), *RepaymentProfile.choices]
        if editing:
            self.fields["borrower"].disabled = True
        parameters = parameters_in_force()
        if parameters is not None:
            self.fields["requested_coverage"].help_text = _(
                "At most %(amortising)s %% for an amortising loan, %(credit_line)s %% for a credit line."
            ) % {
                "amortising": parameters.max_coverage_amortising.normalize(),
                "credit_line": parameters.max_coverage_credit_line.normalize(),
            }
            self.fields["duration_months"].help_text = _(
                "At most %(amortising)s months for an amortising loan, %(credit_line)s for a credit line."
            ) % {
                "amortising": parameters.max_duration_amortising,
                "credit_line": parameters.max_duration_credit_line,
            }
            self.fields["loan_amount"].help_text = _("At least %(minimum)s.") % {
                "minimum": format_money(parameters.minimum_loan)
            }
        for name, field in self.fields.items():
            field.required = name == "borrower"


class RiskReviewForm(forms.Form):
    rating = forms.ChoiceField(label=_("Risk rating"), choices=Rating.choices)
    justification = forms.CharField(
        label=_("Justification of the rating"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.choices)


class DeclarationForm(forms.Form):
    as_of = forms.DateField(label=_("Balance on"), widget=DATE_WIDGET)
    outstanding_principal = forms.DecimalField(label=_("Outstanding principal (EUR)"), min_value=0, **MONEY)
    arrears_amount = forms.DecimalField(
        label=_("Arrears (EUR)"), min_value=0, initial=Decimal("0.00"), **MONEY
    )
    arrears_days = forms.IntegerField(label=_("Days in arrears"), min_value=0, initial=0)


class DeclarationUploadForm(forms.Form):
    quarter = forms.DateField(label=_("Any day of the quarter declared"), widget=DATE_WIDGET)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: reference, as_of, outstanding_principal, arrears_amount, arrears_days."),
    )


class RecoveryForm(forms.Form):
    received_on = forms.DateField(label=_("Recovered on"), widget=DATE_WIDGET)
    amount = forms.DecimalField(label=_("Amount recovered (EUR)"), min_value=0, **MONEY)
    final = forms.BooleanField(label=_("This is the last recovery"), required=False)


SORTS = [
    ("", _("Most recent first")),
    ("deadline", _("Deadline, soonest first")),
    ("-deadline", _("Deadline, latest first")),
    ("reference", _("Reference, ascending")),
    ("-reference", _("Reference, descending")),
    ("loan_amount", _("Loan amount, smallest first")),
    ("-loan_amount", _("Loan amount, largest first")),
]


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or borrower"), required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All")), *State.choices], required=False)
    administration = forms.ChoiceField(label=_("Administration"), required=False)
    rating = forms.ChoiceField(
        label=_("Risk rating"), choices=[("", _("All")), *Rating.choices], required=False
    )
    lender = forms.ModelChoiceField(label=_("Lender"), queryset=Organisation.objects.none(), required=False)
    deadline_before = forms.DateField(label=_("Deadline before"), required=False, widget=DATE_WIDGET)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].choices = [("", _("All"))] + [(a.code, a.name) for a in administrations]
        self.fields["lender"].queryset = Organisation.objects.filter(is_financial_institution=True).order_by(
            "name_fr"
        )
        self.fields["lender"].empty_label = _("All")

    def filters(self) -> dict:
        data = dict(self.cleaned_data)
        data["lender"] = data["lender"].pk if data.get("lender") else None
        return data


class StressForm(forms.Form):
    """Default rates per rating (%) for the stress scenario."""

    def __init__(self, *args, defaults, **kwargs):
        super().__init__(*args, **kwargs)
        for rating, label in Rating.choices:
            self.fields[rating] = forms.DecimalField(
                label=_("Default rate, %(rating)s (%%)") % {"rating": label},
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=defaults[rating],
            )
