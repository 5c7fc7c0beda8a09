"""Staff sign-in: lockout after failed attempts (django-axes) and, under production
settings, a second factor (django-otp TOTP or a recovery code) before any staff page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
START = "2026-03-02T09:00:00+00:00"
ADMIN_LOGIN = "/admin/login/"
LOGIN = "/staff/login/"
SETUP = "/staff/two-factor/setup/"
WIZARD = "staff_login_view"  # the login wizard's form prefix
STAFF_PAGES = ["/admin/", "/admin/routing/request/", "/dashboard/", "/ops/worker-checks/1/"]


@pytest.fixture
def clock(time_machine: Any) -> Any:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def required(settings: Any) -> None:
    """Production's setting; the test settings leave the second factor optional."""
    settings.DSAR_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def staff() -> Any:
    return StaffFactory(username="camille", is_superuser=True)


@pytest.fixture
def device(staff: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff, name="default", confirmed=True)


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(
        device.digits
    )


def wrong(device: TOTPDevice) -> str:
    return str((int(code(device)) + 1) % 10**device.digits).zfill(device.digits)


def password_step(client: Client, password: str = PASSWORD, username: str = "camille") -> Any:
    return client.post(
        LOGIN,
        {
            f"{WIZARD}-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
    )


def code_step(client: Client, token: str, step: str = "token") -> Any:
    return client.post(LOGIN, {f"{WIZARD}-current_step": step, f"{step}-otp_token": token})


def signed_in_to_admin(client: Client) -> bool:
    return bool(client.get("/admin/").status_code == 200)


# --- Lockout on the admin login (the test settings: password only) ---------------------------


def _admin_login(client: Client, password: str, **extra: Any) -> Any:
    return client.post(
        ADMIN_LOGIN, {"username": "camille", "password": password, "next": "/admin/"}, **extra
    )


def test_wrong_passwords_lock_the_account_until_the_cool_off(
    client: Client, staff: Any, clock: Any, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _admin_login(client, "wrong").status_code == 200  # the form, with its error
    assert _admin_login(client, "wrong").status_code == 429

    right = _admin_login(client, PASSWORD)
    assert right.status_code == 429
    assert "Sign-in locked" in right.content.decode()
    assert not signed_in_to_admin(client)

    clock.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert _admin_login(client, PASSWORD).status_code == 429  # counted from the last attempt

    clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert _admin_login(client, PASSWORD).status_code == 302
    assert signed_in_to_admin(client)


def test_the_lock_holds_that_username_at_that_address_only(
    client: Client, staff: Any, clock: Any, settings: Any
) -> None:
    StaffFactory(username="dominique")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _admin_login(client, "wrong", REMOTE_ADDR="192.0.2.1")

    elsewhere = _admin_login(Client(), PASSWORD, REMOTE_ADDR="192.0.2.2")
    colleague = Client().post(
        ADMIN_LOGIN, {"username": "dominique", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )

    assert elsewhere.status_code == 302
    assert colleague.status_code == 302


def test_a_success_clears_earlier_failures(
    client: Client, staff: Any, clock: Any, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _admin_login(client, "wrong")
    assert _admin_login(client, PASSWORD).status_code == 302
    client.post("/admin/logout/")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _admin_login(client, "wrong").status_code == 200


# --- The second factor, as production requires it -------------------------------------------


def test_the_right_password_alone_reaches_no_staff_page(
    client: Client, staff: Any, device: TOTPDevice, required: None, clock: Any
) -> None:
    response = password_step(client)

    assert response.status_code == 200
    assert 'name="token-otp_token"' in response.content.decode()
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 302, path


def test_the_code_after_the_password_signs_in(
    client: Client, staff: Any, device: TOTPDevice, required: None, clock: Any
) -> None:
    password_step(client)

    response = code_step(client, code(device))

    assert response.status_code == 302
    assert signed_in_to_admin(client)
    assert client.get("/dashboard/").status_code == 200


def test_the_admin_login_hands_over_to_the_two_factor_sign_in(
    client: Client, required: None
) -> None:
    response = client.get("/admin/routing/request/")
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)

    handed = client.get(response["Location"])

    assert handed.status_code == 302
    assert handed["Location"].startswith(f"{LOGIN}?next=/admin/routing/request/")


def test_a_session_without_the_second_factor_is_refused(
    client: Client, staff: Any, device: TOTPDevice, required: None
) -> None:
    client.force_login(staff)  # a password-only session

    for path in STAFF_PAGES:
        assert client.get(path).status_code == 302, path


def test_five_wrong_codes_lock_the_account_until_the_cool_off(
    client: Client, staff: Any, device: TOTPDevice, required: None, clock: Any, settings: Any
) -> None:
    password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert code_step(client, wrong(device)).status_code == 200  # the step, with its error
        clock.shift(timedelta(seconds=1))
    assert code_step(client, wrong(device)).status_code == 429

    assert code_step(client, code(device)).status_code == 429
    assert password_step(Client()).status_code == 429  # a fresh start is refused too
    assert not signed_in_to_admin(client)

    clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    fresh = Client()
    password_step(fresh)
    assert code_step(fresh, code(device)).status_code == 302
    assert signed_in_to_admin(fresh)


def test_a_recovery_code_signs_in_once(
    client: Client, staff: Any, device: TOTPDevice, required: None, clock: Any
) -> None:
    recovery = StaticDevice.objects.create(user=staff, name="backup")
    StaticToken.objects.create(device=recovery, token="r3c0very")

    password_step(client)
    assert code_step(client, "r3c0very", step="backup").status_code == 302
    assert signed_in_to_admin(client)

    again = Client()
    password_step(again)
    assert code_step(again, "r3c0very", step="backup").status_code == 200  # used up
    assert not signed_in_to_admin(again)


def _enrol(client: Client) -> TOTPDevice:
    """Sets up an authenticator app through the enrolment pages, as its owner would."""
    from base64 import b32decode

    assert client.get(SETUP).status_code == 200
    client.post(SETUP, {"setup_view-current_step": "welcome"})
    secret = b32decode(client.session["django_two_factor-qr_secret_key"])
    token = str(totp(secret)).zfill(6)
    response = client.post(
        SETUP, {"setup_view-current_step": "generator", "generator-token": token}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return TOTPDevice.objects.get()


def test_staff_without_a_factor_enrol_before_any_page(
    client: Client, staff: Any, required: None, clock: Any
) -> None:
    assert password_step(client).status_code == 302  # no factor yet: on to enrolment
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 302, path
    handed = client.get(ADMIN_LOGIN)
    assert handed["Location"] == SETUP

    device = _enrol(client)

    assert device.user == staff
    assert signed_in_to_admin(client)
    codes = client.post("/staff/two-factor/recovery-codes/")
    assert codes.status_code == 302
    assert StaticToken.objects.filter(device__user=staff).count() == 10


def test_reset_second_factor_makes_the_next_sign_in_enrol(
    client: Client, staff: Any, device: TOTPDevice, required: None, clock: Any, capsys: Any
) -> None:
    StaticDevice.objects.create(user=staff, name="backup")

    call_command("reset_second_factor", "camille")

    assert "camille: 2 device(s) removed" in capsys.readouterr().out
    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists()
    password_step(client)
    assert client.get(ADMIN_LOGIN)["Location"] == SETUP


def test_reset_second_factor_lifts_a_lockout(
    client: Client, staff: Any, device: TOTPDevice, required: None, clock: Any, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, password="wrong")
    assert password_step(client).status_code == 429

    call_command("reset_second_factor", "camille")

    assert password_step(client).status_code == 302


def test_reset_second_factor_names_an_unknown_user() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("reset_second_factor", "nobody")


# --- Development and the tests: the factor is not asked ----------------------------------


def test_without_the_requirement_staff_sign_in_with_the_password(
    client: Client, staff: Any, device: TOTPDevice
) -> None:
    assert _admin_login(client, PASSWORD).status_code == 302
    assert signed_in_to_admin(client)
