"""Two-factor sign-in: with REQUIRE_2FA on, editors and superusers need a code from an app."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import staff_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


@pytest.fixture
def required(settings):
    settings.NEWSROOM_REQUIRE_2FA = True


def sign_in(username):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/articles/article/",
        {"username": username, "password": PASSWORD, "next": "/admin/articles/article/"},
    )
    assert response.status_code == 302, "the password was accepted"
    return client


def code_for(device):
    """The six digits the person's app shows now."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:06d}"


def linked_app(user):
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def reaches_the_desk(client):
    return client.get("/admin/articles/article/").status_code == 200


def test_an_editor_without_an_app_cannot_reach_the_desk_and_is_asked_to_link_one(required):
    editor = staff_member("edward", "Editors")
    client = sign_in(editor.username)
    assert not reaches_the_desk(client)
    response = client.get("/admin/articles/article/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/two-factor/")
    page = response.content.decode()
    assert "Link an authenticator app" in page
    assert "QR code for your authenticator app" in page
    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed
    assert client.get("/admin/articles/photo/").status_code == 302


def test_an_editor_links_an_app_with_a_valid_code_and_reaches_the_desk(required):
    editor = staff_member("edward", "Editors")
    client = sign_in(editor.username)
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=editor)

    refused = client.post("/admin/two-factor/", {"token": "000000", "next": "/admin/"})
    assert refused.status_code == 200
    assert "That code is not right" in refused.content.decode()
    assert not reaches_the_desk(client)

    # django-otp makes the next try wait a second after a wrong code.
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        response = client.post(
            "/admin/two-factor/", {"token": code_for(device), "next": "/admin/articles/article/"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/"
    assert reaches_the_desk(client)
    device.refresh_from_db()
    assert device.confirmed


def test_an_editor_with_an_app_enters_a_code_after_the_password(required):
    editor = staff_member("edward", "Editors")
    device = linked_app(editor)
    client = sign_in(editor.username)
    page = client.get("/admin/two-factor/").content.decode()
    assert "Enter the six-digit code" in page
    assert "QR code" not in page  # the app is already linked
    assert not reaches_the_desk(client)
    client.post("/admin/two-factor/", {"token": code_for(device)})
    assert reaches_the_desk(client)


def test_a_superuser_needs_a_code_too(required):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    device = linked_app(boss)
    client = sign_in(boss.username)
    assert client.get("/admin/").status_code == 302
    client.post("/admin/two-factor/", {"token": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_a_journalist_reaches_the_desk_with_the_password_alone(required):
    journalist = staff_member("jola", "Journalists")
    client = sign_in(journalist.username)
    assert reaches_the_desk(client)


def test_a_journalist_has_no_code_page_to_go_to(required):
    journalist = staff_member("jola", "Journalists")
    client = sign_in(journalist.username)
    response = client.get("/admin/two-factor/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert not TOTPDevice.objects.filter(user=journalist).exists()


def test_with_the_setting_off_an_editor_reaches_the_desk_with_the_password(settings):
    assert settings.NEWSROOM_REQUIRE_2FA is False  # the default, and the demo's
    editor = staff_member("edward", "Editors")
    client = sign_in(editor.username)
    assert reaches_the_desk(client)


def test_the_code_page_is_only_for_signed_in_staff(client):
    response = client.get("/admin/two-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_after_the_code_the_desk_never_redirects_to_another_site(required):
    editor = staff_member("edward", "Editors")
    device = linked_app(editor)
    client = sign_in(editor.username)
    response = client.post(
        "/admin/two-factor/", {"token": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"
