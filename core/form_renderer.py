"""Django's form renderer, with the `<select>` written in Python.

Django renders a select through a template that includes one template per option, each including
the attributes' template: a list page's filter form (state, administration, rating, lender, sort:
about 30 options) spent 2–3 ms of its 7 in those includes, on every list page. `render` writes the
same HTML as `django/forms/widgets/select.html` (tested against it in
`tests/core/test_form_renderer.py`) and leaves every other template, and any select whose options
use another template, to Django.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html`: `False` leaves the attribute out, `True` writes its name."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is None or any(
            option["template_name"] != OPTION
            for _name, options, _index in widget["optgroups"]
            for option in options
        ):
            return super().render(template_name, context, request)
        shown = Context(autoescape=True)  # how `{{ }}` shows a value: localised, then escaped
        parts = [f'<select name="{render_value_in_context(widget["name"], shown)}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{render_value_in_context(group_name, shown)}">')
            parts.extend(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{render_value_in_context(option['label'], shown)}</option>\n"  # the option template's last line
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)
