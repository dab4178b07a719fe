from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from articles.public.search import index_article


class Command(BaseCommand):
    help = (
        "Rebuild the search entry of every article (saves and tag changes keep it current; "
        "run this once after migrating a database that already holds articles)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the articles, change nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        articles = Article.objects.prefetch_related("tags").order_by("pk")
        count = 0
        with transaction.atomic():
            for article in articles.iterator(chunk_size=500):
                if not dry_run:
                    index_article(article)
                count += 1
        if verbosity:
            verb = "Would index" if dry_run else "Indexed"
            self.stdout.write(self.style.SUCCESS(f"{verb} {count} article(s)."))
