from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def tag_link(tag):
    """A link to the tag's page; just its name when its slug has no address.

    A slug written past the model (a raw update, an old fixture) must never take the
    article page down with it.
    """
    try:
        url = reverse("articles:tag-detail", kwargs={"slug": tag.slug})
    except NoReverseMatch:
        return tag.name
    return format_html('<a href="{}">{}</a>', url, tag.name)
