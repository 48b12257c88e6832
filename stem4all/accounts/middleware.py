"""Programme staff see minors' data, so they must sign in with a second factor."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import is_any_programme_staff

# Pages a staff member without two-factor sign-in may still open: setting it up,
# signing out, switching language, static files.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_two_factor(request):
            messages.warning(request, _("Staff must turn on two-factor sign-in before continuing."))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_two_factor(self, request) -> bool:
        if not settings.STEM4ALL_REQUIRE_STAFF_MFA:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(ALLOWED_PREFIXES):
            return False
        if not (user.is_staff or is_any_programme_staff(user)):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
