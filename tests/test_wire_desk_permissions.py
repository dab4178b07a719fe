"""Editors run the wire desk; journalists read its inboxes; nobody else gets in."""

import pytest
from django.urls import reverse

from articles.models import SectionRule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WIRE_ITEMS = reverse("admin:articles_wireitem_changelist")
FEED_ENTRIES = reverse("admin:articles_feedentry_changelist")
SECTION_RULES = reverse("admin:articles_sectionrule_changelist")
ADD_SECTION_RULE = reverse("admin:articles_sectionrule_add")
IMPORT = reverse("admin:articles_wireitem_import")
DESK_PAGES = [WIRE_ITEMS, FEED_ENTRIES, SECTION_RULES, ADD_SECTION_RULE, IMPORT]


@pytest.mark.parametrize("url", DESK_PAGES)
def test_editor_opens_every_wire_desk_page(editor_client, url):
    assert editor_client.get(url).status_code == 200


def test_editor_adds_a_wire_section_rule(editor_client, politics):
    response = editor_client.post(
        ADD_SECTION_RULE,
        {"match_on": "subject", "value": "medtop:11000000", "section": politics.pk, "priority": 1},
    )
    assert response.status_code == 302
    assert str(SectionRule.objects.get()) == "Subject “medtop:11000000” → Politics"


def test_import_page_breadcrumb_leads_to_a_page_the_editor_may_open(editor_client):
    html = editor_client.get(IMPORT).content.decode()
    assert f'<a href="{WIRE_ITEMS}">Wire items</a>' in html
    assert editor_client.get(WIRE_ITEMS).status_code == 200


def test_admin_index_links_the_import_page_for_editors(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert f'href="{IMPORT}"' in html


@pytest.mark.parametrize("url", [WIRE_ITEMS, FEED_ENTRIES, IMPORT])
def test_journalist_reads_the_wire_inboxes_and_imports(journalist_client, url):
    assert journalist_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [SECTION_RULES, ADD_SECTION_RULE])
def test_journalist_cannot_change_wire_routing(journalist_client, url):
    assert journalist_client.get(url).status_code == 403


def test_journalist_cannot_add_a_wire_section_rule_by_posting(journalist_client, politics):
    response = journalist_client.post(
        ADD_SECTION_RULE,
        {"match_on": "subject", "value": "sport", "section": politics.pk, "priority": 1},
    )
    assert response.status_code == 403
    assert not SectionRule.objects.exists()


@pytest.mark.parametrize("url", DESK_PAGES)
def test_staff_without_a_newsroom_role_is_refused_the_wire_desk(client, url):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403


def test_admin_index_has_no_import_link_for_staff_without_a_role(client):
    client.force_login(UserFactory(is_staff=True))
    assert IMPORT not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("url", DESK_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
