from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Photo, Section, Source
from articles.photos import renditions


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"journalist{n}")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Nowak{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.django.Password("correct horse battery staple")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(lambda n: n)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Agency {n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    """A photo as the desk leaves it: saved, with its renditions made (as after commit)."""

    class Meta:
        model = Photo
        skip_postgeneration_save = True

    image = factory.django.ImageField(width=640, height=360, color="steelblue")
    credit = "PAP/Radek Pietruszka"
    caption = "Posłowie w Sejmie"
    alt_text = "Members of parliament in the chamber"

    @factory.post_generation
    def renditions(photo, create, extracted, **kwargs):
        if create and extracted is not False:
            renditions.make_renditions(photo)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, live since an hour ago unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Parliament debates budget, part {n}")
    section = factory.SubFactory(SectionFactory)
    standfirst = "Deputies argued late into the night."
    body = "<p>The debate went on.</p>"
    byline = "By Anna Nowak"
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def backdate(article, create, extracted, **kwargs):
        """Written when it went live, untouched since: no "Updated" line."""
        if create and article.publish_at:
            Article.objects.filter(pk=article.pk).update(
                created_at=article.publish_at, updated_at=article.publish_at
            )
            article.refresh_from_db(fields=["created_at", "updated_at"])

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)
        future = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
