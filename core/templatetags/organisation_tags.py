from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_link(context, organisation):
    """{% organisation_link organisation %}: the organisation's name, linked to its page only when the
    viewer may read that organisation (accounts.services.can_read_organisation)."""
    from accounts.services import can_read_organisation

    user = context.get("user")
    if user is not None and user.is_authenticated and can_read_organisation(user, organisation):
        url = reverse("accounts:organisation_detail", args=[organisation.pk])
        return format_html(
            '<a href="{}" data-organisation="{}">{}</a>', url, organisation.pk, organisation.name
        )
    return format_html('<span data-organisation="{}">{}</span>', organisation.pk, organisation.name)
