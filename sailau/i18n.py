"""Messages translated when shown, not when raised. A refusal is often raised where no language
is known yet (a service, a query parser); the page or the API request that shows it decides.
Below every app, so that any layer may raise a translated message."""

from django.utils.functional import lazy
from django.utils.translation import gettext


def later(msgid: str, **values) -> str:
    """`later(gettext_noop("at most %(n)d"), n=5)` reads in the language of the page or the API
    request that shows it."""
    return lazy(lambda: gettext(msgid) % values if values else gettext(msgid), str)()
