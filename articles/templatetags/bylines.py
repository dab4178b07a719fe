import re

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def author_link(author, text):
    """A link to the author's public page, whose address never carries a login name."""
    return format_html('<a href="{}">{}</a>', author.author_profile.get_absolute_url(), text)


@register.simple_tag
def byline(article):
    """The printed byline, each name of one of the article's authors linked to their page.

    Without a printed byline, the authors themselves are the credit.
    """
    authors = article.author_list()
    if not article.byline:
        names = [(author_link(a, a.author_profile.name),) for a in authors]
        return format_html("By {}", format_html_join(", ", "{}", names)) if names else ""
    by_name = {a.get_full_name(): a for a in authors if a.get_full_name()}
    if not by_name:
        return article.byline
    names = re.compile("|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)))
    # Plain text between the names is escaped by format_html_join; the links are safe.
    parts, end = [], 0
    for match in names.finditer(article.byline):
        parts.append(article.byline[end : match.start()])
        parts.append(author_link(by_name[match[0]], match[0]))
        end = match.end()
    parts.append(article.byline[end:])
    return format_html_join("", "{}", ((part,) for part in parts))
