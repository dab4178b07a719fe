from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ..models import BreakingNews, Section


def site(request):
    """The newsroom's name, the section navigation and the breaking-news banner shown on
    every public page (the banner is looked up only by pages that show it)."""
    return {
        "newsroom_name": settings.NEWSROOM_NAME,
        "newsroom_description": settings.NEWSROOM_DESCRIPTION,
        "navigation_sections": Section.objects.for_readers(),
        "breaking_news": SimpleLazyObject(BreakingNews.objects.current),
    }
