from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(value, language=None):
    """{{ amount|money }} in the active language, or {{ amount|money:"nl" }}."""
    return format_money(value, language)


@register.filter
def get_item(mapping, key):
    """{{ row|get_item:column.key }}: a dictionary's value for a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def eligibility_outcomes(snapshot):
    """{% eligibility_outcomes file.eligibility_snapshot as outcomes %}: the snapshot in the active language."""
    from core.eligibility import snapshot_outcomes

    return snapshot_outcomes(snapshot)
