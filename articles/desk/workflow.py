"""Every change of an article's state, in one place.

Each transition is a keyword-only function that checks permission, validates, changes the
state and records who, when, from, to and why, in one transaction. The admin's buttons,
its bulk actions and anything else that moves an article call these, so every path shares
the same checks.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import visibility
from ..models import (
    Article,
    ArticleStatus,
    Correction,
    PreviewLink,
    Transition,
    WorkflowState,
)
from ..public import cache
from .revisions import apply_revision, record_revision

PREVIEW_SALT = "articles.preview-link"


# Who may do what.


def is_editor(user):
    return user.has_perm("articles.publish_article")


def can_edit(user, article):
    if article.deleted_at:
        return False
    if visibility.edits_any_article(user):
        return True
    if not user.has_perm("articles.change_article") or not article.is_written_by(user):
        return False
    state = article.workflow_state
    # Journalists edit their drafts, and live articles only as pending changes they submit.
    return state in {
        WorkflowState.DRAFT,
        WorkflowState.RETURNED,
        WorkflowState.PUBLISHED,
        WorkflowState.CHANGES_PENDING,
    }


def can_delete(user, article):
    return user.has_perm("articles.delete_article")


# Which states each workflow action applies to. The transitions refuse every other state,
# and the desk offers an action's button only where it applies.
ACTIONS = {
    "save": "Save draft",
    "submit": "Submit for review",
    "publish": "Publish",
    "schedule": "Schedule",
    "return": "Return to author",
    "unpublish": "Unpublish",
}
# On a live article, saving keeps the edit pending: readers see it once an editor publishes.
LIVE_ACTIONS = {"save": "Save changes for review"}
SUBMITTABLE = {WorkflowState.DRAFT, WorkflowState.RETURNED, WorkflowState.CHANGES_PENDING}
PUBLISHABLE = {
    WorkflowState.DRAFT,
    WorkflowState.RETURNED,
    WorkflowState.IN_REVIEW,
    WorkflowState.SCHEDULED,
    WorkflowState.UNPUBLISHED,
    WorkflowState.CHANGES_PENDING,
    WorkflowState.CHANGES_IN_REVIEW,
}
RETURNABLE = {WorkflowState.IN_REVIEW, WorkflowState.CHANGES_IN_REVIEW}
UNPUBLISHABLE = {
    WorkflowState.PUBLISHED,
    WorkflowState.SCHEDULED,
    WorkflowState.CHANGES_PENDING,
    WorkflowState.CHANGES_IN_REVIEW,
}


def available_actions(user, article):
    """The actions, as (name, label), that fit the person and the article's state."""
    state = article.workflow_state if article else WorkflowState.DRAFT
    editable = article is None or can_edit(user, article)
    editor = is_editor(user)
    names = []
    if editable:
        names.append("save")
    if editable and state in SUBMITTABLE:
        names.append("submit")
    if editor and state in PUBLISHABLE:
        names += ["publish", "schedule"]
    if editor and state in RETURNABLE:
        names.append("return")
    if editor and state in UNPUBLISHABLE:
        names.append("unpublish")
    labels = {**ACTIONS, **LIVE_ACTIONS} if article is not None and article.is_live else ACTIONS
    return [(name, labels[name]) for name in names]


def main_action(user, actions):
    """The action the desk emphasises: publishing for an editor, submitting for a writer."""
    names = [name for name, _ in actions]
    for name in ["publish", "submit"] if is_editor(user) else ["submit"]:
        if name in names:
            return name
    return names[0] if names else None


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _refuse(message):
    raise ValidationError(message)


def _record(article, user, from_state, note="", revision=None, overridden=()):
    return Transition.objects.create(
        article=article,
        user=user,
        from_state=from_state,
        to_state=article.workflow_state,
        note=note,
        revision=revision,
        overridden="\n".join(overridden),
    )


def _set(article, **fields):
    """Change workflow fields without touching updated_at: readers saw nothing change."""
    Article.objects.filter(pk=article.pk).update(**fields)
    for name, value in fields.items():
        setattr(article, name, value)


# Saving.


def lock_for_edit(article):
    """Lock the article's row until the transaction ends; return its newest revision.

    Checking for a conflicting edit and saving must be one atomic step: with the row
    locked, a second save from the same base waits for the first to commit, then sees
    its revision and is refused instead of silently overwriting it.
    """
    list(Article.objects.select_for_update().filter(pk=article.pk).values_list("pk"))
    return article.revisions.order_by("-created_at", "-id").first()


@transaction.atomic
def article_save(*, article, user, data=None, summary=""):
    """Keep a revision of what was saved; on a live article, keep the edit pending instead.

    `data` is a revision snapshot of an unsaved edit (the admin passes the form's content);
    without it the article row has already been saved and is snapshotted as it is.
    """
    _require(can_edit(user, article), "You cannot edit this article.")
    if data is not None and article.status == ArticleStatus.PUBLISHED:
        revision = record_revision(article=article, user=user, data=data, summary=summary)
        _set(article, pending_revision=revision)
        return revision
    if data is not None:
        apply_revision(article, data)
    return record_revision(article=article, user=user, summary=summary)


# Transitions.


@transaction.atomic
def article_submit(*, article, user, note=""):
    _require(can_edit(user, article), "You cannot submit this article.")
    before = article.workflow_state
    if before not in SUBMITTABLE:
        _refuse(f"A {before.label.lower()} article cannot be submitted for review.")
    if before == WorkflowState.CHANGES_PENDING:
        _set(article, submitted_at=timezone.now())
    else:
        _set(article, status=ArticleStatus.IN_REVIEW, submitted_at=timezone.now())
    return _record(article, user, before, note)


OVERRIDE_HINT = (
    "An editor may publish anyway by ticking “Publish despite content credentials”; "
    "the override is recorded in the article's history."
)


@transaction.atomic
def article_publish(*, article, user, at=None, note="", override_credentials=False):
    """Publish now, or schedule when `at` is in the future; publishes pending changes too.

    `override_credentials` is the editor's explicit decision to publish a lead photo the
    content credentials rule holds back; what was overridden is recorded.
    """
    _require(is_editor(user), "Only editors can publish or schedule articles.")
    before = article.workflow_state
    if before == WorkflowState.TRASH:
        _refuse("An article in the trash cannot be published; restore it first.")
    if before not in PUBLISHABLE:
        _refuse(f"A {before.label.lower()} article with no pending changes cannot be published.")
    now = timezone.now()
    if before in {WorkflowState.CHANGES_PENDING, WorkflowState.CHANGES_IN_REVIEW}:
        apply_revision(article, article.pending_revision.data)
    problems = article.publication_problems(at=at or now)
    if problems:
        raise ValidationError(problems)
    overridden = article.credentials_problems()
    if overridden and not override_credentials:
        raise ValidationError([*overridden, OVERRIDE_HINT])
    if not article.is_live:
        article.publish_at = at or now
    article.status = ArticleStatus.PUBLISHED
    article.submitted_at = None
    article.pending_revision = None
    article.save()
    revision = record_revision(article=article, user=user, summary="Published")
    return _record(article, user, before, note, revision, overridden)


@transaction.atomic
def article_return(*, article, user, note):
    _require(is_editor(user), "Only editors can return articles to their authors.")
    if not note or not note.strip():
        _refuse("Say what the author should change: a note is required to return an article.")
    before = article.workflow_state
    if before not in RETURNABLE:
        _refuse("Only articles in review can be returned to their author.")
    if before == WorkflowState.CHANGES_IN_REVIEW:
        _set(article, submitted_at=None)
    else:
        _set(article, status=ArticleStatus.RETURNED, submitted_at=None)
    return _record(article, user, before, note.strip())


@transaction.atomic
def article_unpublish(*, article, user, note=""):
    _require(is_editor(user), "Only editors can unpublish articles.")
    before = article.workflow_state
    if before not in UNPUBLISHABLE:
        _refuse("Only published or scheduled articles can be unpublished.")
    article.status = ArticleStatus.UNPUBLISHED
    article.pending_revision = None
    article.submitted_at = None
    article.save()
    _revoke_preview_links(article, user)
    return _record(article, user, before, note)


@transaction.atomic
def article_trash(*, article, user):
    _require(can_delete(user, article), "Only editors can delete articles.")
    before = article.workflow_state
    if before == WorkflowState.TRASH:
        return None
    _set(article, deleted_at=timezone.now(), deleted_by=user)
    _revoke_preview_links(article, user)
    cache.purge_article(article)
    return _record(article, user, before)


def restores_live(article):
    """Whether restoring the trashed article as it was would put it in front of readers."""
    return article.status == ArticleStatus.PUBLISHED


@transaction.atomic
def article_restore(*, article, user, as_draft=False):
    """Take an article out of the trash, in the state it was in, or `as_draft`.

    An article that was published goes back live only for someone allowed to publish.
    """
    _require(can_delete(user, article), "Only editors can restore articles from the trash.")
    if not article.deleted_at:
        _refuse("This article is not in the trash.")
    if as_draft:
        _set(
            article,
            deleted_at=None,
            deleted_by=None,
            status=ArticleStatus.DRAFT,
            pending_revision=None,
            submitted_at=None,
            # Trashed before its scheduled go-live, it was never published (Article.save).
            first_published_at=(
                article.first_published_at if article.went_live_by(article.deleted_at) else None
            ),
        )
    else:
        _require(
            not restores_live(article) or is_editor(user),
            "Only editors can put an article back live; restore it as a draft.",
        )
        _set(article, deleted_at=None, deleted_by=None)
    cache.purge_article(article)
    return _record(article, user, WorkflowState.TRASH)


@transaction.atomic
def revision_restore(*, revision, user):
    """Bring back an old revision as a new one; history is never rewritten."""
    article = revision.article
    _require(can_edit(user, article), "You cannot edit this article.")
    return article_save(
        article=article,
        user=user,
        data=revision.data,
        summary=f"Restored revision {revision.pk} of {revision.created_at:%Y-%m-%d %H:%M}",
    )


@transaction.atomic
def article_add_correction(*, article, user, text):
    _require(is_editor(user), "Only editors can add corrections.")
    if not text or not text.strip():
        _refuse("The correction is empty.")
    if not article.first_published_at:
        _refuse("Only a published article can carry a correction.")
    correction = Correction.objects.create(article=article, created_by=user, text=text.strip())
    # The correction changes what readers see: the "Updated" time moves with it.
    article.save(update_fields=["updated_at"])
    return correction


# Preview links for people without an account.


def _revoke_preview_links(article, user):
    """A withdrawn article's links die with it, and stay dead if it comes back."""
    PreviewLink.objects.filter(revision__article=article, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )


@transaction.atomic
def preview_link_share(*, revision, user):
    """Issue a link to `revision`; returns (PreviewLink, token for its address)."""
    _require(is_editor(user), "Only editors can share preview links.")
    if revision.article.deleted_at or revision.article.status == ArticleStatus.UNPUBLISHED:
        _refuse("A withdrawn article's revisions cannot be shared.")
    link = PreviewLink.objects.create(
        revision=revision,
        created_by=user,
        expires_at=timezone.now() + timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS),
    )
    return link, signing.dumps({"link": link.pk}, salt=PREVIEW_SALT, compress=True)


@transaction.atomic
def preview_link_revoke(*, link, user):
    _require(is_editor(user), "Only editors can revoke preview links.")
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), user
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def revision_from_preview_token(token):
    """The revision a preview link shows, or None when it is forged, altered, expired,
    revoked, or its article withdrawn."""
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT)
    except signing.BadSignature:
        return None
    link = (
        PreviewLink.objects.working()
        .select_related("revision__article")
        .filter(pk=payload.get("link") if isinstance(payload, dict) else None)
        .first()
    )
    return link.revision if link else None
