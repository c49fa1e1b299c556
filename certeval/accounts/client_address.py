"""The client's address, for sign-in lockout and the audit log (docs/security-accounts.md).

``REMOTE_ADDR`` by default. Behind a reverse proxy, ``CERTEVAL_CLIENT_IP_HEADER`` names the header
the proxy sets (``X-Forwarded-For``, ``X-Real-IP``…): a list is read from the right, skipping the
entries added by the trusted proxies beyond the nearest (``CERTEVAL_TRUSTED_PROXY_COUNT``), since
the client can write anything on its left. Off by default: without a proxy that rewrites it, the
header would let anyone choose their address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _meta_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, as configured; ``None`` when unknown."""
    header = str(getattr(settings, "CERTEVAL_CLIENT_IP_HEADER", "") or "")
    if header:
        entries = [e for e in request.META.get(_meta_key(header), "").split(",") if e.strip()]
        count = max(1, int(getattr(settings, "CERTEVAL_TRUSTED_PROXY_COUNT", 1)))
        if len(entries) >= count:
            found = _valid(entries[-count])
            if found:
                return found
    remote = request.META.get("REMOTE_ADDR")
    return _valid(remote) if remote else None
