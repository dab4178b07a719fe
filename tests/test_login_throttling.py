"""Repeated failed sign-ins pause signing in for a while, leave a record, and can be cleared."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import staff_member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


@pytest.fixture
def edward(db):
    return staff_member("edward", "Editors")


def sign_in(username, password, address="198.51.100.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )
    return client, response


def fail(times, username="edward", address="198.51.100.7"):
    return [sign_in(username, "wrong password", address)[1].status_code for _ in range(times)]


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def test_five_failed_sign_ins_pause_the_account_even_for_the_right_password(edward):
    # The form again, with its error, four times; the fifth failure pauses signing in.
    assert fail(5) == [200, 200, 200, 200, 429]
    client, response = sign_in("edward", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "5 failed sign-ins for this username or from this address" in page
    assert "paused for 15 minutes" in page
    assert not is_signed_in(client)


def test_four_failures_then_the_right_password_signs_in_and_starts_the_count_again(edward):
    fail(4)
    client, response = sign_in("edward", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)
    fail(4)
    client, _ = sign_in("edward", PASSWORD)
    assert is_signed_in(client)


def test_failures_for_one_username_from_many_addresses_pause_that_username(edward):
    for n in range(5):
        fail(1, address=f"203.0.113.{n + 1}")
    client, response = sign_in("edward", PASSWORD, address="192.0.2.50")
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_failures_from_one_address_for_many_usernames_pause_that_address(edward):
    for n in range(5):
        fail(1, username=f"guess{n}", address="203.0.113.9")
    _, response = sign_in("edward", PASSWORD, address="203.0.113.9")
    assert response.status_code == 429


def test_every_failure_and_the_lockout_are_recorded_with_username_and_address(edward):
    fail(5)
    sign_in("edward", PASSWORD)
    attempt = AccessAttempt.objects.get(username="edward")
    assert attempt.ip_address == "198.51.100.7"
    assert attempt.failures_since_start == 5
    failures = AccessFailureLog.objects.filter(username="edward", ip_address="198.51.100.7")
    assert failures.count() == 5
    assert failures.filter(locked_out=True).exists()
    assert not AccessLog.objects.filter(username="edward").exists()  # never signed in


def test_the_pause_ends_by_itself_and_retrying_during_it_does_not_extend_it(edward):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(5)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        _, response = sign_in("edward", "wrong password")
        assert response.status_code == 429
        _, response = sign_in("edward", PASSWORD)
        assert response.status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        client, response = sign_in("edward", PASSWORD)
        assert response.status_code == 302
        assert is_signed_in(client)


def test_an_administrator_clears_a_lockout_with_axes_reset_username(edward):
    fail(5)
    call_command("axes_reset_username", "edward", verbosity=0)
    client, response = sign_in("edward", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_an_administrator_clears_a_lockout_in_the_admin(edward, admin_client):
    fail(5)
    attempt = AccessAttempt.objects.get(username="edward")
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert "edward" in listing.content.decode()
    response = admin_client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    client, response = sign_in("edward", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_editors_cannot_see_or_clear_sign_in_records(edward, editor_client):
    fail(5, username="someone")
    assert editor_client.get("/admin/axes/accessattempt/").status_code == 403
    assert editor_client.get("/admin/axes/accessfailurelog/").status_code == 403


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings, edward):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    for n in range(5):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9")
        client.post("/admin/login/", {"username": f"guess{n}", "password": "wrong"})
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").count() == 5
    # Someone else behind the same proxy is not locked out by those failures.
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = client.post("/admin/login/", {"username": "edward", "password": PASSWORD})
    assert response.status_code == 302
