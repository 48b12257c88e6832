"""The visitor's IP address, the one definition that rate limits and the sign-in
lockout (django-axes, through ``AXES_CLIENT_IP_CALLABLE``) count by."""

from django.conf import settings


def client_ip(request) -> str | None:
    """Behind ``PROXY_COUNT`` trusted proxies it is the entry the nearest of them
    appended to X-Forwarded-For: anything to its left was written by the client and is
    not trusted. Without proxies it is REMOTE_ADDR; None when the request has none
    (the lockout stores addresses in an IP column, where a placeholder would not fit)."""
    proxies = getattr(settings, "PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
