"""Staff sessions end after SESSION_COOKIE_AGE without a request, not while someone works.

Django's SESSION_SAVE_EVERY_REQUEST would write the session on every request; instead the
session records when it was last refreshed and is saved again (moving its expiry) once that
is a minute old, so the idle timeout slides by activity at a write a minute at most.
"""

import time

REFRESH_EVERY_SECONDS = 60
ACTIVITY_KEY = "_newsroom_activity"


def mark_activity(sender, request, user, **kwargs):
    """At sign-in: the session starts with its refresh time (connected in apps.py)."""
    request.session[ACTIVITY_KEY] = int(time.time())


class SlidingSessionMiddleware:
    """Listed after SessionMiddleware, so the session is saved after this marks it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only sessions that exist: reading one for every reader would make pages vary by cookie.
        if session is not None and session.session_key and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(ACTIVITY_KEY, 0) >= REFRESH_EVERY_SECONDS:
                session[ACTIVITY_KEY] = now
        return response
