"""Staff sign-in: a password, then a code from an authenticator app or a recovery code.

django-two-factor-auth runs the steps (the session is signed in only after the code);
this adds the lockout: a wrong code counts as a failed sign-in for django-axes, like a
wrong password, so five of them from one address lock that username there until the
cool-off ends, and the code step refuses while it lasts. django-otp's own throttle on
the device (doubling waits) slows guesses spread over many addresses.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from two_factor.views import LoginView


class StaffLoginView(LoginView):
    CODE_STEPS = (LoginView.TOKEN_STEP, LoginView.BACKUP_STEP)

    def _credentials(self) -> dict[str, str] | None:
        user = self.get_user()
        return {"username": user.get_username()} if user else None

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        credentials = self._credentials()
        if (
            credentials is not None
            and self.steps.current in self.CODE_STEPS
            and AxesProxyHandler.is_locked(self.request, credentials)
        ):
            return get_lockout_response(self.request, credentials=credentials)
        return super().post(*args, **kwargs)

    def render(self, form: Any = None, **kwargs: Any) -> HttpResponse:
        credentials = self._credentials()
        if (
            credentials is not None
            and form is not None
            and form.is_bound
            and self.steps.current in self.CODE_STEPS
            and form.errors
        ):
            # axes records it and, at the limit, AxesMiddleware answers with the lockout.
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
        return super().render(form, **kwargs)
