"""Login throttling with django-axes: its backend refuses a locked-out account before the
password is even hashed (so wrong guesses stop costing CPU too), and the page says why in the
visitor's language."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # Without a request there is no login form and no address to count (a script or the
        # test client calling authenticate() directly): nothing to throttle.
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Too many wrong passwords for this account: signing in is refused for %(minutes)d "
             "minutes, even with the right password.") % {"minutes": minutes}


def locked_out(request, response, credentials, *args, **kwargs):
    return render(request, "web/locked_out.html", {"message": message()}, status=429)
