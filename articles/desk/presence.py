"""Who has an article open in the desk: heartbeats kept in the cache, never the database.

Each open form sends a heartbeat; someone whose last one is older than the timeout (a closed
laptop) is no longer there. An editor may take over: the other person's next heartbeat is
told so. The lost-update refusal stays the last line of defence; this only warns.

Who is in an article is one cache entry, read, changed and written back by each heartbeat:
`_one_at_a_time` makes those turns take turns, so two people arriving together are both
kept (Django's cache has no compare-and-set; `add` is atomic on locmem and Redis).
"""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..formats import display_name

# Kept a little longer than the timeout, so a late heartbeat still finds its "since".
SLACK_SECONDS = 60
# A turn takes a cache read and a write. A process that died in its turn frees it this soon;
# a heartbeat waits this long at most for its turn, then goes ahead (presence only warns).
TURN_SECONDS = 2
TURN_WAIT_SECONDS = 1


def now():
    """Seconds since the epoch: heartbeats compare these, and tests move them."""
    return timezone.now().timestamp()


def _key(article):
    return f"desk-presence:{article.pk}"


def _takeover_key(article, user_id):
    return f"desk-presence-taken-over:{article.pk}:{user_id}"


@contextlib.contextmanager
def _one_at_a_time(article):
    """Within: no other heartbeat, leave or take-over of the article changes who is in it.
    A cache that does not answer (Redis down: `add` fails, and nothing is held) is not
    waited for."""
    turn = f"desk-presence-turn:{article.pk}"
    deadline = time.monotonic() + TURN_WAIT_SECONDS
    unanswered = 0
    while not (mine := cache.add(turn, True, timeout=TURN_SECONDS)):
        unanswered = unanswered + 1 if cache.get(turn) is None else 0
        if unanswered > 2 or time.monotonic() >= deadline:
            break
        time.sleep(0.005)
    try:
        yield
    finally:
        if mine:
            cache.delete(turn)


def _present(article, moment):
    timeout = settings.NEWSROOM_PRESENCE_TIMEOUT_SECONDS
    return {
        user_id: entry
        for user_id, entry in (cache.get(_key(article)) or {}).items()
        if moment - entry["seen"] <= timeout
    }


def _keep(article, present):
    timeout = settings.NEWSROOM_PRESENCE_TIMEOUT_SECONDS + SLACK_SECONDS
    cache.set(_key(article), present, timeout=timeout)


def presence_beat(*, article, user, editing):
    """Record that `user` has the article open (as an editor of it when `editing`).

    Returns the others who are editing it, oldest first, and who took it over from `user`
    since their last heartbeat (or None).
    """
    with _one_at_a_time(article):
        moment = now()
        taken_over = cache.get(_takeover_key(article, user.pk))
        if taken_over:
            cache.delete(_takeover_key(article, user.pk))
        present = _present(article, moment)
        if editing and not taken_over:
            since = present.get(user.pk, {}).get("since", moment)
            present[user.pk] = {"name": display_name(user), "since": since, "seen": moment}
        else:
            present.pop(user.pk, None)
        _keep(article, present)
    others = sorted(
        (entry for user_id, entry in present.items() if user_id != user.pk),
        key=lambda entry: entry["since"],
    )
    return others, taken_over


def presence_leave(*, article, user):
    """The person closed the form: the others' notice clears at their next heartbeat."""
    with _one_at_a_time(article):
        present = _present(article, now())
        if present.pop(user.pk, None) is not None:
            _keep(article, present)


def presence_take_over(*, article, user):
    """An editor takes the article over: everyone else editing it is told, and dropped."""
    with _one_at_a_time(article):
        moment = now()
        present = _present(article, moment)
        told = {"name": display_name(user), "at": moment}
        for user_id in [user_id for user_id in present if user_id != user.pk]:
            cache.set(
                _takeover_key(article, user_id),
                told,
                timeout=settings.NEWSROOM_PRESENCE_TIMEOUT_SECONDS + SLACK_SECONDS,
            )
            present.pop(user_id)
        present.setdefault(user.pk, {"name": display_name(user), "since": moment, "seen": moment})
        _keep(article, present)
