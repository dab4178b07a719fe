from django.conf import settings

from ..models import Section


def site(request):
    """The newsroom's name and the section navigation shown on every public page."""
    return {
        "newsroom_name": settings.NEWSROOM_NAME,
        "newsroom_description": settings.NEWSROOM_DESCRIPTION,
        "navigation_sections": Section.objects.for_readers(),
    }
