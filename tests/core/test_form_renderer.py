"""The form renderer writes each `<select>` in Python: the same HTML as Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy, override

from accounts.models import Administration
from core.form_renderer import FormRenderer

pytestmark = pytest.mark.django_db

STATES = [("", "All"), ("submitted", gettext_lazy("Submitted")), ("paid", 'Paid & <closed> "done"')]
GROUPED = [("Running", [("active", "Active"), ("called", "Called")]), ("closed", "Closed")]


class Every(forms.Form):
    state = forms.ChoiceField(choices=STATES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=STATES[1:], required=False)
    maybe = forms.NullBooleanField(required=False)
    number = forms.TypedChoiceField(choices=[(1, "one"), (2, "two")], coerce=int)
    nothing = forms.ChoiceField(choices=[], required=False)
    administration = forms.ModelChoiceField(queryset=Administration.objects.order_by("code"), required=False)


def rendered(renderer, data):
    form = Every(data, renderer=renderer)
    form.is_valid()
    return [str(form[name]) for name in form.fields]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "state": "paid",
            "grouped": "called",
            "several": ["submitted", "paid"],
            "maybe": "true",
            "number": "2",
        },
        {"administration": "1", "grouped": "closed", "number": "1"},
        {"state": "not a choice", "grouped": "", "number": "x"},  # invalid: aria-invalid, errors
    ],
)
def test_each_select_is_the_html_djangos_templates_write(data):
    with override("fr"):
        assert rendered(FormRenderer(), data) == rendered(DjangoTemplates(), data)


def test_a_select_whose_options_use_another_template_is_left_to_django():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    field = forms.ChoiceField(choices=[("a", "A")], widget=Fancy)
    form = forms.Form(renderer=FormRenderer())
    form.fields["fancy"] = field

    assert "<option" not in str(form["fancy"])


def test_the_project_renders_its_forms_with_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
