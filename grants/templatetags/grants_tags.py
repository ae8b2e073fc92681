"""What the applicant's dashboard shows of grants: their files and the calls open today."""

from django import template

from grants.selectors import applications_visible_to, with_list_columns

register = template.Library()


@register.simple_tag
def grant_files_of(user, limit: int = 10):
    """{% grant_files_of user as files %}: the user's latest grant files (lead or partner)."""
    return list(with_list_columns(applications_visible_to(user)).order_by("-updated_at", "-pk")[:limit])


@register.simple_tag
def open_grant_calls():
    """{% open_grant_calls as calls %}"""
    from grants.views import open_calls

    return list(open_calls())
