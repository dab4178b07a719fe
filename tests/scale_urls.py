"""The site's URLs plus two views that fail, for the 500/503 handler's tests."""

from django.db import OperationalError
from django.urls import path

from newsroom.urls import handler500, urlpatterns

__all__ = ["handler500", "urlpatterns"]


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def plain_bug(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("test-database-gone", database_gone),
    path("test-plain-bug", plain_bug),
    *urlpatterns,
]
