"""Fronts as readers see them: the editors' slots, then the newest stories, none twice."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.desk import workflow
from articles.fronts import services
from articles.models import Article
from articles.public.views import SectionDetailView
from tests.factories import ArticleFactory, PhotoFactory, published_front

pytestmark = pytest.mark.django_db


def headlines(html):
    """Card headlines in page order."""
    return re.findall(r'class="card-headline"><a href="[^"]*">([^<]*)</a>', html)


def lead_headline(html):
    lead = re.search(
        r'class="card card-lead".*?class="card-headline"><a [^>]*>([^<]*)<', html, re.S
    )
    return lead.group(1) if lead else None


@pytest.fixture
def stories(politics):
    """Four published stories, newest first: A (10 min ago) ... D (40 min ago)."""
    now = timezone.now()
    return {
        name: ArticleFactory(
            section=politics, headline=f"Story {name}", publish_at=now - timedelta(minutes=minutes)
        )
        for name, minutes in (("A", 10), ("B", 20), ("C", 30), ("D", 40))
    }


def test_an_empty_front_page_lists_the_latest_stories_as_before(client, stories):
    page = client.get("/").content.decode()
    assert lead_headline(page) is None
    assert 'id="latest-heading"' in page
    # Latest, then the Politics block: newest first in each.
    assert headlines(page) == ["Story A", "Story B", "Story C", "Story D"] + [
        "Story A",
        "Story B",
        "Story C",
        "Story D",
    ]


def test_the_lead_is_shown_large_and_the_slots_keep_the_editors_order(client, stories):
    published_front([stories["C"], stories["A"], stories["D"]])
    page = client.get("/").content.decode()
    assert lead_headline(page) == "Story C"
    # Slots in the editors' order, then the rest newest first, and nothing twice.
    assert headlines(page) == ["Story C", "Story A", "Story D", "Story B", "Story B"]


def test_a_slot_shows_its_replacement_headline_and_photo(client, stories):
    photo = PhotoFactory(alt_text="Crowd outside the Sejm")
    front = published_front([stories["B"]])
    front.published_revision.slots.update(
        headline="Budget passes after all-night vote", photo=photo
    )
    page = client.get("/").content.decode()
    assert lead_headline(page) == "Budget passes after all-night vote"
    assert f"/{photo.pk}/" in page or photo.renditions.first().file.url in page
    # The article keeps its own headline everywhere else.
    assert "Story B" in client.get(stories["B"].get_absolute_url()).content.decode()


def test_a_pinned_story_leaves_the_front_when_its_pin_runs_out(client, stories):
    until = timezone.now() + timedelta(hours=2)
    published_front([stories["D"]], pinned_until=until)
    assert lead_headline(client.get("/").content.decode()) == "Story D"
    with time_machine.travel(until + timedelta(seconds=1)):
        page = client.get("/").content.decode()
    assert lead_headline(page) is None
    assert headlines(page)[:4] == ["Story A", "Story B", "Story C", "Story D"]


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(
            lambda article, editor: workflow.article_unpublish(article=article, user=editor),
            id="unpublished",
        ),
        pytest.param(
            lambda article, editor: workflow.article_trash(article=article, user=editor),
            id="trashed",
        ),
        pytest.param(
            lambda article, editor: Article.objects.filter(pk=article.pk).update(
                publish_at=timezone.now() + timedelta(days=1)
            ),
            id="moved back to a future time",
        ),
    ],
)
def test_a_story_taken_off_the_site_leaves_every_front_at_once(
    client, stories, politics, editor, hide
):
    published_front([stories["A"], stories["B"]])
    published_front([stories["A"]], section=politics)
    hide(stories["A"], editor)
    front_page = client.get("/").content.decode()
    section_page = client.get("/politics/").content.decode()
    assert "Story A" not in front_page
    assert "Story A" not in section_page
    assert lead_headline(front_page) == "Story B"


def test_a_section_front_leads_its_first_page_only(client, politics, stories, monkeypatch):
    monkeypatch.setattr(SectionDetailView, "page_size", 2)
    published_front([stories["D"]], section=politics)
    first = client.get("/politics/").content.decode()
    older = re.search(r'href="\?(before=[^"]+)" rel="next"', first).group(1)
    second = client.get(f"/politics/?{older}").content.decode()
    assert lead_headline(first) == "Story D"
    assert headlines(first) == ["Story D", "Story A", "Story B"]
    assert headlines(second) == ["Story C"]


def test_a_section_front_does_not_change_the_front_page(client, politics, stories):
    published_front([stories["D"]], section=politics)
    assert lead_headline(client.get("/").content.decode()) is None


def test_the_draft_arrangement_is_not_what_readers_see(client, stories, editor):
    front = published_front([stories["B"]])
    services.add_to_front(front=front, article=stories["C"], user=editor)
    services.arrange(
        front=front,
        user=editor,
        rows=[(slot, {}) for slot in front.draft().slots.order_by("-position")],
    )
    assert lead_headline(client.get("/").content.decode()) == "Story B"
    services.publish_front(front=front, user=editor)
    assert headlines(client.get("/").content.decode())[:2] == ["Story C", "Story B"]
