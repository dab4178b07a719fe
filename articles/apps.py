from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Connects the receivers that keep the search index current and purge cached pages.
        from .public import cache, search  # noqa: F401
