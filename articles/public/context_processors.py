from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import cache


def site(request):
    """The newsroom's name, the section navigation and the breaking-news banner shown on
    every public page (read, or taken from the cache, only by pages that show them)."""
    return {
        "newsroom_name": settings.NEWSROOM_NAME,
        "newsroom_description": settings.NEWSROOM_DESCRIPTION,
        "navigation_sections": SimpleLazyObject(lambda: cache.site_chrome(request).sections),
        "breaking_news": SimpleLazyObject(lambda: cache.site_chrome(request).banner),
        # What the masthead shows (kept_fragment): the navigation and the banner.
        "chrome_keys": [cache.SITE],
    }
