"""The article page, top to bottom, as the modelled wire page shows it."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

CREDIT = "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT Dostawca: PAP/EPA."


def text_of(html):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def positions(html, *needles):
    found = [html.find(needle) for needle in needles]
    assert -1 not in found, dict(zip(needles, found, strict=True))
    return found


def test_article_page_shows_every_part_in_order(client, wire_article):
    ArticleFactory(section=wire_article.section, headline="Senate delays the vote")
    html = client.get(wire_article.get_absolute_url()).content.decode()
    found = positions(
        html,
        '<p class="section-label"><a href="/politics/">Politics</a></p>',
        "<h1>Kremlin talks end without agreement</h1>",
        "<figure",
        '<p class="standfirst">Negotiators left after six hours.</p>',
        "By Staff and wire reports",
        "The talks ended late on Tuesday.",
        '<p class="sources">Source: ',
        '<h2 id="more-in-heading">More in Politics</h2>',
    )
    assert found == sorted(found)


def test_lead_photo_has_caption_and_full_credit_in_its_figcaption(client, wire_article):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    figure = re.search(r"<figure.*?</figure>", html, re.S).group(0)
    figcaption = re.search(r"<figcaption>.*?</figcaption>", figure, re.S).group(0)
    assert CREDIT in unescape(figcaption)
    assert "Delegacje w Moskwie (podpis źródła zdjęcia)" in unescape(figcaption)
    assert 'alt="Two delegations seated at a long table"' in figure


def test_credit_and_caption_are_escaped_never_interpreted(client, wire_article):
    photo = wire_article.photo
    photo.credit = "<b>AP</b> & Reuters"
    photo.caption = "<script>alert(1)</script>"
    photo.save()
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert "&lt;b&gt;AP&lt;/b&gt; &amp; Reuters" in html
    assert "<script>alert(1)" not in html


def test_a_500_character_credit_is_shown_whole(client, wire_article):
    long_credit = ("EPA/POOL MANDATORY CREDIT " * 20)[:500]
    wire_article.photo.credit = long_credit
    wire_article.photo.save()
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert long_credit.strip() in unescape(html)


def test_body_paragraphs_and_quotations_are_rendered_as_html(client, wire_article):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert "<blockquote><p>“We are not there yet,” one negotiator said.</p></blockquote>" in html


def test_sources_line_lists_sources_in_the_order_the_journalist_set(client, wire_article):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    sources = re.search(r'<p class="sources">(.*?)</p>', html, re.S).group(1)
    assert text_of(sources).strip() == "Source: abcnews.go.com, Reuters"


def test_sources_order_follows_position_not_creation(client, wire_article):
    wire_article.source_links.filter(source__name="Reuters").update(position=0)
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert "Source: Reuters, abcnews.go.com" in text_of(html)


def test_one_source_reads_source_x(client, politics):
    article = ArticleFactory(section=politics)
    article.source_links.create(source=SourceFactory(name="PAP"), position=1)
    assert "Source: PAP" in text_of(client.get(article.get_absolute_url()).content.decode())


def test_no_sources_line_without_sources(client, politics):
    article = ArticleFactory(section=politics)
    assert "Source:" not in client.get(article.get_absolute_url()).content.decode()


def test_more_in_politics_lists_five_newest_others_and_links_the_section(client, wire_article):
    now = timezone.now()
    others = [
        ArticleFactory(
            section=wire_article.section,
            headline=f"Politics story {i}",
            publish_at=now - timedelta(hours=2 + i),
        )
        for i in range(7)
    ]
    ArticleFactory(headline="Sport story")  # another section: never in the block
    html = client.get(wire_article.get_absolute_url()).content.decode()
    block = re.search(r'<section class="more-in".*?</section>', html, re.S).group(0)
    listed = re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a>", block)
    assert listed == [a.headline for a in others[:5]]
    assert wire_article.headline not in block
    assert '<a class="more-link" href="/politics/">More in Politics</a>' in block


def test_byline_date_and_no_updated_line_for_an_untouched_article(client, wire_article):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    # Whole seconds: HTML allows at most three digits of a fraction (vnu rejects six).
    local = timezone.localtime(wire_article.publish_at)
    assert f'datetime="{local.strftime("%Y-%m-%dT%H:%M:%S%z")}"' in html
    assert "Updated" not in html


def test_updated_line_when_changed_after_publication(client, wire_article):
    Article.objects.filter(pk=wire_article.pk).update(
        updated_at=wire_article.publish_at + timedelta(hours=3)
    )
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert re.search(r'Updated <time datetime="[^"]+">', html)


def test_page_is_accessible_html(client, wire_article):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert html.count("<h1") == 1
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert 'href="#content"' in html


def test_page_fetches_nothing_from_another_host(client, wire_article):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', html)
    # The only absolute addresses are the canonical link and the sources' own pages.
    assert all("testserver" in url or "rel" not in url for url in external)
    assert not re.findall(
        r'<(?:script|img|link)[^>]+(?:src|href)="(?:https?:)?//(?!testserver)', html
    )


def test_section_navigation_is_on_every_page(client, wire_article, world):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    nav = re.search(r'<nav aria-label="Sections">.*?</nav>', html, re.S).group(0)
    assert text_of(nav).split() == ["Politics", "World"]
