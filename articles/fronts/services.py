"""Arranging fronts and putting up banners: every change goes through these functions.

Each checks the person's permission, validates and changes the arrangement in one
transaction, so the admin's buttons and anything else share the same rules.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Article, FrontRevision, FrontSlot, FrontSuggestion


def can_arrange(user):
    return user.has_perm("articles.change_front")


def can_suggest(user):
    return user.has_perm("articles.add_frontsuggestion")


def _require_arranger(user):
    if not can_arrange(user):
        raise PermissionDenied("Only editors arrange fronts.")


def _require_published(article):
    if not Article.objects.published().filter(pk=article.pk).exists():
        raise ValidationError(
            f"“{article}” is not published: only published stories go on a front."
        )


@transaction.atomic
def draft_of(*, front, user):
    """The front's draft arrangement, started from the published one when there is none."""
    _require_arranger(user)
    draft = front.draft()
    if draft is not None:
        return draft
    draft = FrontRevision.objects.create(front=front, created_by=user)
    if front.published_revision_id:
        copy_slots(source=front.published_revision, target=draft)
    return draft


def copy_slots(*, source, target):
    FrontSlot.objects.bulk_create(
        FrontSlot(
            revision=target,
            position=slot.position,
            article_id=slot.article_id,
            headline=slot.headline,
            photo_id=slot.photo_id,
            crop=slot.crop,
            pinned_until=slot.pinned_until,
        )
        for slot in source.slots.all()
    )


@transaction.atomic
def add_to_front(*, front, article, user):
    """Put a published story in the draft's last slot; a story already there stays put."""
    draft = draft_of(front=front, user=user)
    _require_published(article)
    existing = draft.slots.filter(article=article).first()
    if existing is not None:
        return existing
    last = draft.slots.order_by("-position").values_list("position", flat=True).first() or 0
    slot = FrontSlot.objects.create(revision=draft, article=article, position=last + 1)
    front.suggestions.filter(article=article, handled_at__isnull=True).update(
        handled_at=timezone.now()
    )
    return slot


@transaction.atomic
def arrange(*, front, user, rows):
    """Save the draft as listed: `rows` are (slot, changes) in their new order; slots left
    out are removed. Positions become 1, 2, 3... in that order."""
    draft = draft_of(front=front, user=user)
    kept = []
    for position, (slot, changes) in enumerate(rows, start=1):
        if slot.revision_id != draft.pk:
            raise ValidationError("A slot of another arrangement cannot be changed here.")
        for name, value in changes.items():
            setattr(slot, name, value)
        slot.position = position
        slot.save()
        kept.append(slot.pk)
    draft.slots.exclude(pk__in=kept).delete()
    return draft


@transaction.atomic
def publish_front(*, front, user):
    """The draft becomes what readers see, as a whole; the previous arrangement is history."""
    _require_arranger(user)
    draft = front.draft()
    if draft is None:
        raise ValidationError("There are no changes to publish.")
    draft.published_at = timezone.now()
    draft.published_by = user
    draft.save(update_fields=["published_at", "published_by"])
    front.published_revision = draft
    front.save(update_fields=["published_revision"])
    return draft


@transaction.atomic
def restore_front_revision(*, revision, user):
    """Make an earlier published arrangement the draft again, to preview and publish."""
    _require_arranger(user)
    if revision.published_at is None:
        raise ValidationError("Only a published arrangement can be restored.")
    front = revision.front
    front.revisions.filter(published_at__isnull=True).delete()
    draft = FrontRevision.objects.create(front=front, created_by=user, restored_from=revision)
    copy_slots(source=revision, target=draft)
    return draft


@transaction.atomic
def suggest_for_front(*, front, article, user, note=""):
    if not can_suggest(user):
        raise PermissionDenied("You may not suggest stories for fronts.")
    _require_published(article)
    return FrontSuggestion.objects.create(
        front=front, article=article, suggested_by=user, note=note
    )


@transaction.atomic
def dismiss_suggestion(*, suggestion, user):
    _require_arranger(user)
    suggestion.handled_at = timezone.now()
    suggestion.save(update_fields=["handled_at"])


@transaction.atomic
def take_down_banner(*, banner, user):
    """The banner leaves every page now; who took it down is kept."""
    if not user.has_perm("articles.change_breakingnews"):
        raise PermissionDenied("Only editors take banners down.")
    if banner.taken_down_at is None:
        banner.taken_down_at = timezone.now()
        banner.taken_down_by = user
        banner.save(update_fields=["taken_down_at", "taken_down_by"])
    return banner
