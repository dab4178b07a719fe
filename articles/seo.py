"""How articles present themselves outside the site: feeds, link previews, search engines."""

import mimetypes
from typing import NamedTuple


class ShareImage(NamedTuple):
    url: str
    width: int
    height: int
    ratio: str
    mime_type: str


def share_images(photo, request):
    """The pictures that stand for an article in feeds, OpenGraph and JSON-LD.

    The one place that chooses them. For now the original upload; the 16x9, 4x3 and 1x1
    renditions replace it when photo renditions land.
    """
    if not photo or not photo.image:
        return []
    mime_type = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
    return [
        ShareImage(
            url=request.build_absolute_uri(photo.image.url),
            width=photo.width,
            height=photo.height,
            ratio="original",
            mime_type=mime_type,
        )
    ]


def byline_names(article):
    """Who wrote the article, as readers should see it credited: the staff authors, or else
    the printed byline without its leading "By"."""
    names = [author.get_full_name() or author.get_username() for author in article.authors.all()]
    if names:
        return names
    byline = article.byline.strip()
    if byline.lower().startswith("by "):
        byline = byline[3:].strip()
    return [byline] if byline else []
