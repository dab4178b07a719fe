from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the newsroom's site: it asks editors for a second factor."""

    default_site = "newsroom.admin.NewsroomAdminSite"
