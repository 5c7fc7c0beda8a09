"""Staff sign-in with a second factor (django-two-factor-auth's views, under /staff/)."""

from django.urls import path
from two_factor.views import BackupTokensView, QRGeneratorView, SetupCompleteView, SetupView

from routing.views.staff_login import StaffLoginView

# The views reverse their own names in this namespace.
app_name = "two_factor"

urlpatterns = [
    path("login/", StaffLoginView.as_view(), name="login"),
    path("two-factor/setup/", SetupView.as_view(), name="setup"),
    path("two-factor/qrcode/", QRGeneratorView.as_view(), name="qr"),
    path("two-factor/setup/complete/", SetupCompleteView.as_view(), name="setup_complete"),
    path("two-factor/recovery-codes/", BackupTokensView.as_view(), name="backup_tokens"),
]
