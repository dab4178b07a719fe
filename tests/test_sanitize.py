import pytest

from articles.sanitize import sanitize_html
from tests.factories import ArticleFactory


@pytest.mark.django_db
def test_script_and_event_handlers_are_removed_from_the_body_on_save():
    article = ArticleFactory(
        body=(
            "<p>Quote <script>alert('x')</script>follows.</p>"
            '<img src="x" onerror="alert(1)">'
            '<p onclick="steal()">Clean paragraph</p>'
            '<a href="javascript:alert(1)">bad link</a>'
        )
    )
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "alert" not in article.body
    assert "onerror" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "<p>Clean paragraph</p>" in article.body


@pytest.mark.django_db
def test_queryset_update_cannot_bypass_sanitising_on_the_next_save():
    article = ArticleFactory()
    type(article).objects.filter(pk=article.pk).update(body="<p>ok</p><script>x()</script>")
    article.refresh_from_db()
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>ok</p>"


def test_news_copy_markup_is_kept():
    html = (
        "<h2>Background</h2><p><strong>Bold</strong> and <em>italic</em></p>"
        "<blockquote><p>“A quote,” she said.</p></blockquote>"
        "<ul><li>one</li></ul>"
    )
    assert sanitize_html(html) == html


def test_links_keep_their_address_and_gain_a_safe_rel():
    cleaned = sanitize_html('<p><a href="https://reuters.com/x" target="_blank">R</a></p>')
    assert 'href="https://reuters.com/x"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    assert "target" not in cleaned


def test_styles_and_iframes_are_dropped():
    cleaned = sanitize_html(
        '<p style="color:red">x</p><iframe src="https://evil.example"></iframe><style>p{}</style>'
    )
    assert cleaned == "<p>x</p>"
