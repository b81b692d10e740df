"""The admin resists brute force (django-axes), asks for strong passwords,
can require TOTP two-factor (django-otp), and its session cookie is
HttpOnly, SameSite and short-lived; public pages still set no cookie."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security import lock_ends_at

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True, is_superuser=True)


def log_in(client, username="editor", password=PASSWORD, address="192.0.2.1", forwarded_for=None, **fields):
    meta = {"REMOTE_ADDR": address} | ({"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {})
    return client.post(LOGIN, {"username": username, "password": password, **fields}, **meta)


def test_five_failures_lock_that_username_from_that_address_with_429(client, editor):
    for _ in range(4):
        assert log_in(client, password="wrong").status_code == 200
    assert log_in(client, password="wrong").status_code == 429

    # Locked even with the right password, from that address...
    assert log_in(client).status_code == 429
    assert not client.session.get("_auth_user_id")
    # ...but not for the same user elsewhere, nor others at that address.
    assert log_in(client, address="192.0.2.2").status_code == 302
    client.logout()
    get_user_model().objects.create_user("other", password=PASSWORD, is_staff=True)
    assert log_in(client, username="other").status_code == 302

    attempt = AccessAttempt.objects.get(username="editor", ip_address="192.0.2.1")
    assert attempt.failures_since_start >= 5
    assert AccessLog.objects.filter(username="editor").exists()


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    assert timedelta(minutes=5) <= settings.AXES_COOLOFF_TIME
    for _ in range(5):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert log_in(client).status_code == 302


def lock_began(seconds_ago: float) -> None:
    """Move every recorded failure back in time (axes reads the time of the
    last counted failure): no sleeping."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=seconds_ago))


def test_attempts_during_a_lock_do_not_extend_it(client, editor, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    for _ in range(5):
        log_in(client, password="wrong")
    lock_began(50)

    # Ten seconds before the lock ends, more attempts (right and wrong) are refused...
    for password in ["wrong", PASSWORD, "wrong"]:
        assert log_in(client, password=password).status_code == 429
    # ...but are not counted, and the lock still ends a minute after it began.
    assert AccessAttempt.objects.get(username="editor").failures_since_start == 5
    lock_began(61)
    assert log_in(client).status_code == 302


def test_the_lockout_says_when_to_retry_in_chinese_and_in_retry_after(client, editor, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    for _ in range(4):
        log_in(client, password="wrong")
    fifth = log_in(client, password="wrong")

    assert fifth.status_code == 429
    assert 15 * 60 - 5 <= int(fifth["Retry-After"]) <= 15 * 60
    text = fifth.content.decode()
    assert "已被锁定" in text and "15分钟后" in text and "editor" in text
    assert fifth["Content-Type"] == "text/plain; charset=utf-8"

    # Ten minutes into the lock, five minutes are left.
    lock_began(10 * 60)
    later = log_in(client)
    assert later.status_code == 429
    assert 5 * 60 - 5 <= int(later["Retry-After"]) <= 5 * 60
    assert "5分钟后" in later.content.decode()


def test_a_lock_counted_across_browsers_ends_when_its_oldest_needed_failure_expires(settings):
    # axes keeps a row per user agent and sums them: three failures from one
    # browser ten minutes ago and two from another two minutes ago lock
    # until the older three fall out of the cool-off.
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    now = timezone.now()
    for agent, failures, minutes_ago in [("a", 3, 10), ("b", 2, 2)]:
        attempt = AccessAttempt.objects.create(
            username="editor",
            ip_address="192.0.2.1",
            user_agent=agent,
            failures_since_start=failures,
            get_data="",
            post_data="",
            http_accept="",
            path_info="/admin/login/",
        )
        # attempt_time is set on creation (auto_now_add): moved back after.
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - timedelta(minutes=minutes_ago))

    assert lock_ends_at("editor", "192.0.2.1") == now + timedelta(minutes=5)
    assert lock_ends_at("editor", "192.0.2.9") is None


def test_a_refused_next_after_login_lands_on_the_admin_index(client, editor):
    response = client.post("/admin/login/?next=https://evil.example/", {"username": "editor", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_behind_a_proxy_not_counted_as_trusted_one_client_locks_the_admin_out_for_all(client, editor, settings):
    # Why `make serve` defaults TRUSTED_PROXY_COUNT to 1 (README): with 0,
    # every client behind the proxy has the proxy's address.
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(5):
        log_in(client, password="wrong", address="10.0.0.1", forwarded_for="203.0.113.66")
    assert log_in(client, address="10.0.0.1", forwarded_for="203.0.113.7").status_code == 429

    settings.TRUSTED_PROXY_COUNT = 1
    assert log_in(client, address="10.0.0.1", forwarded_for="203.0.113.7").status_code == 302


def test_behind_trusted_proxies_the_lock_is_per_client_address(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        log_in(client, password="wrong", address="10.0.0.1", forwarded_for="203.0.113.7")
    assert log_in(client, address="10.0.0.1", forwarded_for="203.0.113.7").status_code == 429
    # Another client behind the same proxy; a forged left-hand entry is ignored.
    response = log_in(client, address="10.0.0.1", forwarded_for="203.0.113.7, 203.0.113.8")
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["Sh0rt!pass", "password1234", "123456789012"])
def test_staff_passwords_must_be_long_and_not_common(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_good_password_passes():
    validate_password("斡难河畔-turquoise-ladder-7")


def test_the_session_cookie_is_http_only_strict_and_short_lived(client, editor, settings):
    response = log_in(client)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    # Gone when the browser closes, and expired on the server within a day.
    assert not cookie["max-age"] and not cookie["expires"]
    assert 0 < client.session.get_expiry_age() <= 24 * 3600


def test_public_pages_set_no_cookie_even_after_failed_logins(client, editor):
    for _ in range(5):
        log_in(client, password="wrong")
    client.cookies.clear()
    response = client.get("/")
    assert response.status_code == 200
    assert not response.cookies


# Two-factor ---------------------------------------------------------------


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def test_with_2fa_on_the_password_alone_does_not_open_the_admin(client, editor, two_factor):
    TOTPDevice.objects.create(user=editor, name="phone")
    response = log_in(client)
    assert response.status_code == 200
    assert not client.session.get("_auth_user_id")

    # A session without a verified device is not staff either.
    client.force_login(editor)
    assert client.get("/admin/").status_code == 302


def test_with_2fa_on_the_password_and_a_current_code_open_the_admin(client, editor, two_factor):
    device = TOTPDevice.objects.create(user=editor, name="phone")
    response = log_in(client, otp_device=device.persistent_id, otp_token=current_token(device))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_with_2fa_off_the_password_is_enough(client, editor):
    assert log_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_enrol_totp_gives_a_staff_member_a_device_and_its_setup_url(editor, capsys):
    call_command("enrol_totp", "editor")
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed
    out = capsys.readouterr().out
    assert device.config_url in out

    call_command("enrol_totp", "editor")
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_in_production_the_session_and_csrf_cookies_are_secure():
    from tests.shell.test_settings import ROOT

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shell.settings",
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "example.org",
            "SITE_URL": "https://example.org",
            "ALLOW_WRITER_READS": "true",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split()[-3:] == ["True", "True", "True"], result.stderr
