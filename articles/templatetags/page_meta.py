"""Template helpers for what each page tells search engines and link previews."""

from urllib.parse import urlencode

from django import template

from ..public import seo
from ..public.keyset import KeysetPage

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's one address: its path, plus the query and page number that change it."""
    request = context["request"]
    params = {}
    if context.get("query"):
        params["q"] = context["query"]
    page_obj = context.get("page_obj")
    if isinstance(page_obj, KeysetPage):
        query = page_obj.address
    else:
        if page_obj and page_obj.number > 1:
            params["page"] = page_obj.number
        query = urlencode(params)
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


@register.filter
def json_ld(data):
    return seo.json_ld(data)
