"""`{% kept_card article option ... %}`: a card's HTML rendered once until what it shows
changes, instead of on every page that lists the article; `{% kept_fragment %}`, the same for
any part of a page every reader gets alike."""

from django import template

from ..public import cache
from ..public.middleware import personal

register = template.Library()


def for_readers(request):
    """Kept HTML is for readers: anyone with a session (staff) sees what is stored now."""
    return request is not None and not personal(request)


@register.tag
def kept_card(parser, token):
    """{% kept_card article [option ...] %}...{% endkept_card %}

    The HTML between, rendered once per article and options (how the page shows the card)
    and kept with NEWSROOM_SITE_CACHE on until a purge of the article, its photo or `site`
    (a section renamed): the keys every page listing the article records anyway. A search
    result's card (its snippet is the reader's query) is rendered every time.

    Shared by every page listing the article, the HTML between sees only the tag's own
    variables (and the request), nothing else of the page. Anyone with a session gets it
    drawn each time, like `kept_fragment`. On a reader page
    (`ReaderPageResponse`) the page's cards are looked up together once it is drawn
    (`cache.KeptLater`).
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("kept_card needs the article")
    nodelist = parser.parse(("endkept_card",))
    parser.delete_first_token()
    return KeptCardNode(nodelist, {bit: parser.compile_filter(bit) for bit in bits})


class KeptCardNode(template.Node):
    def __init__(self, nodelist, variables):
        self.nodelist = nodelist
        self.variables = variables

    def render(self, context):
        shown = {name: value.resolve(context) for name, value in self.variables.items()}
        article, *options = shown.values()
        if getattr(article, "snippet", None):
            return self.nodelist.render(context)
        request = context.get("request")
        card = context.new({**shown, "request": request})

        def render():
            return self.nodelist.render(card)

        if not for_readers(request):
            return render()
        name = ":".join(["card", str(article.pk), cache.reader_place(), *map(str, options)])
        keys = [cache.SITE, *sorted(cache.keys_for_listed([article]))]
        later = getattr(request, "kept_later", None)
        if later is not None:
            return later.add(name, keys, render)
        # The card shows rows its page read before: it is as old as the page.
        return cache.kept(name, keys, render, started=getattr(request, "page_started", None))


@register.tag
def kept_fragment(parser, token):
    """{% kept_fragment "name" [vary ...] keys=keys %}...{% endkept_fragment %}

    The HTML between, rendered once per name, `vary` values, language and time zone, and
    kept with NEWSROOM_SITE_CACHE on until a purge of any of `keys` (a list of cache keys,
    which the page records anyway) or the next moment pages may change by time alone: for
    a part every reader of the page gets alike (the masthead, an article's "More in").
    It must show nothing but what `keys` name and `vary` tells apart. Without keys (the
    desk's preview of a revision renders the article page with none), or for anyone with a
    session (staff see what is stored now), it is rendered each time and never kept, nor
    read from what readers' pages kept.
    """
    bits = token.split_contents()[1:]
    if len(bits) < 2 or not bits[-1].startswith("keys="):
        raise template.TemplateSyntaxError('kept_fragment needs a name and "keys=" last')
    name, *vary = (parser.compile_filter(bit) for bit in bits[:-1])
    keys = parser.compile_filter(bits[-1].removeprefix("keys="))
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptFragmentNode(nodelist, name, vary, keys)


class KeptFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, keys):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.keys = keys

    def render(self, context):
        keys = self.keys.resolve(context)
        request = context.get("request")
        if not keys or not for_readers(request):
            return self.nodelist.render(context)
        name = ":".join(
            [
                "fragment",
                str(self.name.resolve(context)),
                *(str(value.resolve(context)) for value in self.vary),
                cache.reader_place(),
            ]
        )
        return cache.kept(
            name,
            sorted(keys),
            lambda: self.nodelist.render(context),
            # What it shows was read by its page, maybe before this moment.
            started=getattr(request, "page_started", None),
        )
