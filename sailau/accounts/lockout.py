"""Login throttling with django-axes: its backend refuses a throttled sign-in before the
password is even hashed (so wrong guesses stop costing CPU too), and the page says why in the
visitor's language.

Two limits, both counted per client address (sailau.clientaddr: the visitor's own, not the
proxy's), in the database so every server process shares them:

- one account from one address (django-axes's AXES_LOCKOUT_PARAMETERS): after
  SAILAU_LOGIN_FAILURES wrong passwords that address is refused for that account during the
  cool-off. The account itself stays open from every other address, so a stranger who knows an
  operator's login name cannot lock the operator out on election night;
- one address over all accounts: after SAILAU_LOGIN_FAILURES_PER_ADDRESS wrong passwords,
  whatever the accounts, that address is refused during the cool-off. One password tried over
  many accounts (a spray) is stopped as early as many passwords over one."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from sailau.clientaddr import client_ip
from sailau.errors import Code, RateLimited
from sailau.i18n import page_lang
from sailau.languages import Text, texts

T = texts("accounts.lockout")

ADDRESS_MESSAGE = T(
    "Too many wrong passwords from this address: signing in is suspended for {minutes} "
    "minutes.")


def address_failures(address: str) -> int:
    """Wrong passwords from one client address, over every account, during the cool-off."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = (AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
             .aggregate(n=Sum("failures_since_start"))["n"])
    return total or 0


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # Without a request there is no login form and no address to count (a script or the
        # test client calling authenticate() directly): nothing to throttle.
        if request is None:
            return None
        address = client_ip(request)
        if address and address_failures(address) >= settings.SAILAU_LOGIN_FAILURES_PER_ADDRESS:
            request.axes_locked_out = True
            request.sailau_address_throttled = True
            raise AxesBackendPermissionDenied("too many failed sign-ins from this address")
        return super().authenticate(request, username, password, **kwargs)


def _minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def message() -> str:
    return _("Too many wrong passwords for this account: signing in is refused for %(minutes)d "
             "minutes, even with the right password.") % {"minutes": _minutes()}


def address_refusal() -> RateLimited:
    return RateLimited(code=Code.RATE_LIMITED,
                       message=Text.of(ADDRESS_MESSAGE).format(minutes=_minutes()))


def locked_out(request, response, credentials, *args, **kwargs):
    text = (address_refusal().text(page_lang()) if getattr(request, "sailau_address_throttled", False)
            else message())
    resp = render(request, "web/locked_out.html", {"message": text}, status=429)
    resp["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return resp
