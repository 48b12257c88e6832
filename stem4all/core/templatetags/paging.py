"""The pager's links keep the page's other query parameters (its filters)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context, param: str, number: int) -> str:
    """``?<the current query with param=number>``, already URL-encoded."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
