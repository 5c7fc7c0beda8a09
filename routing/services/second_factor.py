"""A member of staff's second factor: reset when it is lost."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp import devices_for_user


@transaction.atomic
def second_factor_reset(*, user: AbstractBaseUser) -> int:
    """Removes every device (authenticator apps and recovery codes) and any lockout of the
    username, so the next sign-in enrols a new factor. Returns how many devices went."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    AxesProxyHandler.reset_attempts(username=user.get_username())
    return removed
