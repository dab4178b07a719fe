"""Kept only for migrations 0004 and 0006, which name `articles.images.originals_storage`.

Landed migrations are never edited; code imports from `articles.photos.storage`.
"""

from .photos.storage import originals_storage

__all__ = ["originals_storage"]
