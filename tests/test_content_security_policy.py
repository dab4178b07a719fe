"""The Content-Security-Policy header: enforced on public and admin pages, never unsafe-inline."""

import re

import pytest

pytestmark = pytest.mark.django_db


def policy_of(response):
    return dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )


@pytest.mark.parametrize("path", ["/", "/search/?q=budget", "/admin/login/"])
def test_every_page_is_served_with_an_enforced_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    policy = policy_of(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_body_editors_import_map_runs_with_the_requests_nonce(editor_client):
    response = editor_client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", policy_of(response)["script-src"]).group(1)
    assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()
    # Each request gets its own nonce.
    again = editor_client.get("/admin/articles/article/add/")
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]
