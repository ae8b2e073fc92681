from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(value, language=None):
    """{{ amount|money }} in the active language, or {{ amount|money:"nl" }}."""
    return format_money(value, language)
