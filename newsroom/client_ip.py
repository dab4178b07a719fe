"""The address a request came from, for login throttling."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or the address the outermost trusted proxy saw when there are proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    with N trusted proxies the client is the Nth entry from the right; anything further
    left was written by the client and could be forged.
    """
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
