"""Changes to a photo readers may be seeing: made at once, or kept for an editor's approval.

A photo's credit, caption, alt text, rights and focal point are published wherever an
article uses it. Whoever may publish changes them at once; anyone else's change to a photo
that a published or scheduled article uses waits for an editor, like an edit to a live
article. Its image file is replaced only by someone who may publish: anyone else uploads
the new picture as a photo of its own and proposes it as the lead photo in an article edit.
Every change is recorded with its old and new values.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..desk.workflow import is_editor
from ..models import ArticleStatus, Source
from .models import Photo, PhotoChange
from .uploads import make_renditions_after_commit

IMAGE_NEEDS_AN_EDITOR = (
    "A published article uses this photo: only an editor can replace its image. Upload the "
    "new picture as a photo of its own and choose it as the article's lead photo; that edit "
    "goes to review."
)

# The fields a change may touch, as the photo form names them.
FIELDS = {
    "image": "Image file",
    "credit": "Credit",
    "caption": "Caption",
    "alt_text": "Alt text",
    "provider": "Provider",
    "creator": "Creator",
    "copyright_notice": "Copyright notice",
    "usage_terms": "Usage terms",
    "focal_x": "Focal point across",
    "focal_y": "Focal point down",
}


def in_published_use(photo):
    """Whether a published or scheduled article uses the photo: readers see it, or will."""
    return photo.articles.not_in_trash().filter(status=ArticleStatus.PUBLISHED).exists()


def may_change_at_once(user, photo):
    return photo.pk is None or is_editor(user) or not in_published_use(photo)


def _stored(photo, field):
    """A field's value on the photo as the change record keeps it (JSON)."""
    if field == "provider":
        return photo.provider_id
    if field == "image":
        return photo.image.name if photo.image else ""
    return getattr(photo, field)


def _as_json(field, value):
    """A form's value as the change record keeps it; an image's name is known once stored."""
    return value.pk if field == "provider" and isinstance(value, Source) else value


def _apply(photo, values):
    for field, value in values.items():
        if field == "provider":
            # A provider deleted while the change waited is no provider.
            photo.provider = Source.objects.filter(pk=_as_json(field, value)).first()
        else:
            setattr(photo, field, value)
    photo.save()
    make_renditions_after_commit(photo)


@transaction.atomic
def photo_change(*, photo, user, values):
    """Change `photo` to `values` ({field: new value}); returns the PhotoChange, or None when
    nothing changed. A change that must wait leaves the photo as it is."""
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    old = {field: _stored(photo, field) for field in values}
    # An image in `values` is a new file: the form passes it only when one was chosen.
    changed = {
        field: value
        for field, value in values.items()
        if field == "image" or _as_json(field, value) != old[field]
    }
    if not changed:
        return None
    at_once = may_change_at_once(user, photo)
    if not at_once and "image" in changed:
        raise ValidationError(IMAGE_NEEDS_AN_EDITOR)
    if at_once:
        _apply(photo, changed)
        new = {field: _stored(photo, field) for field in changed}
    else:
        new = {field: _as_json(field, value) for field, value in changed.items()}
    return PhotoChange.objects.create(
        photo=photo,
        changes={field: {"old": old[field], "new": new[field]} for field in changed},
        status=PhotoChange.Status.APPLIED if at_once else PhotoChange.Status.PENDING,
        created_by=user,
    )


def _decide(change, user, status):
    if not is_editor(user):
        raise PermissionDenied("Only editors can approve or reject photo changes.")
    if change.status != PhotoChange.Status.PENDING:
        raise ValidationError("This change was already approved or rejected.")
    change.status, change.decided_by, change.decided_at = status, user, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    return change


@transaction.atomic
def photo_change_approve(*, change, user):
    """Apply a waiting change to the photo, as it was proposed."""
    change = PhotoChange.objects.select_for_update().get(pk=change.pk)
    _decide(change, user, PhotoChange.Status.APPLIED)
    photo = Photo.objects.select_for_update().get(pk=change.photo_id)
    _apply(photo, {field: values["new"] for field, values in change.changes.items()})
    return change


@transaction.atomic
def photo_change_reject(*, change, user):
    change = PhotoChange.objects.select_for_update().get(pk=change.pk)
    return _decide(change, user, PhotoChange.Status.REJECTED)
