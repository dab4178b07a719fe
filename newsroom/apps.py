from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.signals import user_logged_in

from .sessions import mark_activity


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the newsroom's site: it asks editors for a second factor."""

    default_site = "newsroom.admin.NewsroomAdminSite"

    def ready(self):
        super().ready()
        user_logged_in.connect(mark_activity, dispatch_uid="newsroom_session_activity")
