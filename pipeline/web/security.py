"""Who may use the app and which requests count: an access token off the loopback, CSRF on every change.

The token is asked for once (`?token=` in the printed URL, as Jupyter does) and kept in an HttpOnly cookie. Every
POST carries the CSRF token of this server's run in a form field, equal to its SameSite=Strict cookie, so a page on
another site can neither read it nor make the browser send it.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field

AUTH_COOKIE = "cardscan_auth"
CSRF_COOKIE = "cardscan_csrf"
CSRF_FIELD = "csrf"
# No inline script or style, nothing from elsewhere: the pages use only /static files of their own.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


@dataclass(frozen=True)
class Guard:
    token: str | None  # None: loopback only, no token asked for
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def allows(self, cookie: str | None, query_token: str | None) -> bool:
        if self.token is None:
            return True
        return any(v is not None and hmac.compare_digest(v, self.token) for v in (cookie, query_token))

    def csrf_ok(self, form_value: str | None, cookie: str | None) -> bool:
        return (form_value is not None and cookie is not None and hmac.compare_digest(form_value, self.csrf)
                and hmac.compare_digest(cookie, self.csrf))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def guard_for(host: str, token: str | None) -> Guard:
    """Off the loopback a token is required: the given one, else a new random one (printed in the URL)."""
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    return Guard(token)
