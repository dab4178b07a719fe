"""Who may fetch a photo's renditions before readers may: the holder of a preview link."""

PREVIEW_PHOTOS_SESSION_KEY = "preview_photo_ids"


def allow_preview_photo(request, photo_id):
    """Let someone holding a preview link see the previewed photo before it is public."""
    allowed = request.session.get(PREVIEW_PHOTOS_SESSION_KEY, [])
    if photo_id not in allowed:
        request.session[PREVIEW_PHOTOS_SESSION_KEY] = [*allowed, photo_id]
