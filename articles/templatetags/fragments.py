"""`{% kept_card article option ... %}`: a card's HTML rendered once until what it shows
changes, instead of on every page that lists the article."""

from django import template
from django.utils import timezone, translation

from ..public import cache

register = template.Library()


@register.tag
def kept_card(parser, token):
    """{% kept_card article [option ...] %}...{% endkept_card %}

    The HTML between, rendered once per article and options (how the page shows the card)
    and kept with NEWSROOM_SITE_CACHE on until a purge of the article, its photo or `site`
    (a section renamed): the keys every page listing the article records anyway. A search
    result's card (its snippet is the reader's query) is rendered every time.
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("kept_card needs the article")
    nodelist = parser.parse(("endkept_card",))
    parser.delete_first_token()
    return KeptCardNode(nodelist, [parser.compile_filter(bit) for bit in bits])


class KeptCardNode(template.Node):
    def __init__(self, nodelist, expressions):
        self.nodelist = nodelist
        self.expressions = expressions

    def render(self, context):
        article, *options = (expression.resolve(context) for expression in self.expressions)
        if getattr(article, "snippet", None):
            return self.nodelist.render(context)
        name = ":".join(
            [
                "card",
                str(article.pk),
                translation.get_language() or "",
                timezone.get_current_timezone_name(),
                *(str(option) for option in options),
            ]
        )
        keys = [cache.SITE, *sorted(cache.keys_for_listed([article]))]
        request = context.get("request")
        return cache.kept(
            name,
            keys,
            lambda: self.nodelist.render(context),
            # The card shows rows its page read before: it is as old as the page.
            started=getattr(request, "page_started", None),
        )
