"""Web forms of grants. They parse input and check what one form can see on its own, with the
rule functions of `grants.services`; the services check everything again when they write."""

import re
from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from accounts.validators import normalise_enterprise_number
from core.money import to_money

from .choices import Axis, BudgetCategory, InitiativeLegalForm, Logic, MutualisationType, Recommendation
from .models import Call, Review
from .rules import amount_errors, date_errors, partner_errors
from .workflow import State

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def money_field(label, *, required=False, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def show_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """Put errors found outside the form (a service's refusal) next to the fields they are about."""
    if not form.is_bound:
        form.full_clean()  # an unbound form gets an empty error dict to add to
        form.cleaned_data = {}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


# -- starting an application ---------------------------------------------------------------------


class StartApplicationForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call for applications"), queryset=Call.objects.none())
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title of the initiative"), max_length=200)

    def __init__(self, *args, calls, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["call"].empty_label = _("Choose a call")
        self.fields["lead_organisation"].queryset = organisations
        self.fields["lead_organisation"].empty_label = _("Choose an organisation")
        self.fields["lead_organisation"].label_from_instance = lambda organisation: organisation.name


# -- the draft -----------------------------------------------------------------------------------


def split_enterprise_numbers(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n\r]+", text or "") if part.strip()]


class DraftForm(forms.Form):
    """Everything of a draft but its budget lines and documents; nothing is required until submission."""

    title = forms.CharField(label=_("Title of the initiative"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    axes = forms.MultipleChoiceField(
        label=_("Axes of the mutualisation measure"),
        choices=Axis.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    types = forms.MultipleChoiceField(
        label=_("Types of mutualisation"),
        choices=MutualisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logics = forms.MultipleChoiceField(
        label=_("Logics"), choices=Logic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    initiative_legal_form = forms.ChoiceField(
        label=_("Legal form of the initiative"),
        choices=[("", _("Not chosen yet"))] + InitiativeLegalForm.choices,
        required=False,
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE_WIDGET)
    requested_amount = money_field(_("Requested amount (EUR)"))
    expected_effects = forms.CharField(
        label=_("Expected effects on the public"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    other_public_funding = forms.CharField(
        label=_("Other public funding (cumulation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Other public subsidies the initiative receives, and from whom."),
    )
    other_public_funding_amount = money_field(_("Other public funding (EUR)"))
    partners = forms.CharField(
        label=_("Partner organisations"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_(
            "Their enterprise numbers (BCE/KBO), one per line or separated by commas, e.g. 0403.170.701."
        ),
    )

    def __init__(self, *args, application, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(application) -> dict:
        from .drafting import DRAFT_FIELDS

        initial = {name: getattr(application, name) for name in DRAFT_FIELDS}
        initial["partners"] = "\n".join(
            partner.enterprise_number for partner in application.partners.order_by("enterprise_number")
        )
        return initial

    def clean_partners(self) -> list[Organisation]:
        entered = split_enterprise_numbers(self.cleaned_data["partners"])
        wanted = {normalise_enterprise_number(number): number for number in entered}
        found = {o.enterprise_number: o for o in Organisation.objects.filter(enterprise_number__in=wanted)}
        unknown = [original for number, original in wanted.items() if number not in found]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "No organisation is registered with the enterprise number %(numbers)s.",
                    "No organisation is registered with the enterprise numbers %(numbers)s.",
                    len(unknown),
                )
                % {"numbers": ", ".join(unknown)},
                code="unknown_partner",
            )
        partners = list(found.values())
        if partners and (
            messages := partner_errors(
                lead_id=self.application.lead_organisation_id, partner_ids={p.pk for p in partners}
            )
        ):
            raise forms.ValidationError(messages)
        return partners

    def clean(self):
        cleaned = super().clean()
        for message in date_errors(start=cleaned.get("start_date"), end=cleaned.get("end_date")):
            self.add_error("end_date", message)
        # The call's maximum is known here; the budget total is checked by the service when it saves.
        for message in amount_errors(
            requested=cleaned.get("requested_amount"), budget_total=Decimal("0"), call=self.application.call
        ):
            self.add_error("requested_amount", message)
        if cleaned.get("other_public_funding_amount") is None:
            cleaned["other_public_funding_amount"] = Decimal("0.00")
        return cleaned

    def draft_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "partners"}


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")] + BudgetCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    hourly_cost = forms.DecimalField(
        label=_("Hourly cost (EUR)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    amount = money_field(_("Amount (EUR)"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") == BudgetCategory.COORDINATION_HOURS:
            for name in ("hours", "hourly_cost"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Coordination hours need a number of hours and an hourly cost."))
        elif cleaned.get("category"):
            if cleaned.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Give the amount of this line."))
            cleaned["hours"] = cleaned["hourly_cost"] = None
        return cleaned

    def line(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("category", "description", "hours", "hourly_cost", "amount")
        }


BLANK_LINES = 2  # blank budget lines offered below the saved ones
MAX_LINES = 100


def budget_formset(application, data=None, *, blank_lines: int = BLANK_LINES) -> forms.BaseFormSet:
    initial = [
        {
            "category": line.category,
            "description": line.description,
            "hours": line.hours,
            "hourly_cost": line.hourly_cost,
            "amount": line.amount,
        }
        for line in application.budget_lines.all()
    ]
    formset_class = forms.formset_factory(
        BudgetLineForm, extra=blank_lines, can_delete=True, max_num=MAX_LINES, absolute_max=MAX_LINES
    )
    return formset_class(data, initial=initial, prefix="budget")


def entered_total(formset, *, saved: Decimal) -> Decimal:
    """The total of the lines on the page: what was typed when the form was sent, else what is saved."""
    if not formset.is_bound:
        return saved
    total = Decimal("0.00")
    for form in formset.forms:
        line = form.cleaned_data if form.is_valid() else {}
        if not line or line.get("DELETE"):
            continue
        if line.get("category") == BudgetCategory.COORDINATION_HOURS:
            total += to_money(line["hours"] * line["hourly_cost"])
        else:
            total += line.get("amount") or Decimal("0.00")
    return total


def with_one_more_line(data):
    """The POST data of a budget formset with one more (blank) line, as "Add a line" asks."""
    data = data.copy()
    total = int(data.get("budget-TOTAL_FORMS") or 0)
    data["budget-TOTAL_FORMS"] = str(min(total + 1, MAX_LINES))
    return data


def budget_lines_entered(formset) -> list[tuple[forms.Form, dict]]:
    """(form, line) for each line kept: neither deleted nor an untouched blank row."""
    return [
        (form, form.line())
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


# -- officers: reviews ---------------------------------------------------------------------------

SCORE_CHOICES = [(score, str(score)) for score in range(6)]


class ReviewForm(forms.Form):
    """Five scores from 0 to 5, each with a comment, and an overall recommendation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Review.SCORE_FIELDS:
            score = Review._meta.get_field(name)
            comment = Review._meta.get_field(f"{name}_comment")
            self.fields[name] = forms.TypedChoiceField(
                label=capfirst(score.verbose_name),
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"{name}_comment"] = forms.CharField(
                label=capfirst(comment.verbose_name),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Overall recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
        )


# -- applicants: reports -------------------------------------------------------------------------


class ReportForm(forms.Form):
    activities = forms.CharField(label=_("Activities carried out"), widget=forms.Textarea(attrs={"rows": 6}))
    results = forms.CharField(
        label=_("Results and effects on the public"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FinalReportForm(ReportForm):
    """The final report adds one justified amount per budget line."""

    def __init__(self, *args, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget_lines = list(budget_lines)
        for line in self.budget_lines:
            self.fields[f"expense_{line.pk}"] = money_field(
                line.description, required=True, help_text=line.get_category_display()
            )

    def expense_fields(self):
        return [(line, self[f"expense_{line.pk}"]) for line in self.budget_lines]

    def expenses(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[f"expense_{line.pk}"] for line in self.budget_lines}


# -- officers' list of files ---------------------------------------------------------------------


class ApplicationFilterForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none(), required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All"))] + State.choices, required=False)
    administration = forms.ChoiceField(label=_("Administration"), required=False)
    deadline_before = forms.DateField(label=_("Deadline before"), required=False, widget=DATE_WIDGET)
    # The column headers sort too; on a phone the stacked rows have no headers, so the form does.
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Most recent first")),
            ("deadline", _("Deadline, soonest first")),
            ("-deadline", _("Deadline, latest first")),
            ("reference", _("Reference, ascending")),
            ("-reference", _("Reference, descending")),
            ("title", _("Title, A to Z")),
            ("-title", _("Title, Z to A")),
            ("state", _("State, earliest step first")),
            ("-state", _("State, latest step first")),
            ("requested_amount", _("Requested amount, smallest first")),
            ("-requested_amount", _("Requested amount, largest first")),
        ],
    )

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.all()
        self.fields["call"].empty_label = _("All")
        self.fields["administration"].choices = [("", _("All"))] + [
            (administration.code, administration.name) for administration in administrations
        ]
