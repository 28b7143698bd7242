from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from homeward.access.permissions import Perm, has_perm
from homeward.access.urlmap import NAVIGATION, rule_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for url_name, label in NAVIGATION:
        rule = rule_for(url_name, "GET")
        if isinstance(rule, Perm) and not has_perm(user, rule):
            continue
        items.append(
            {
                "url": reverse(url_name),
                "label": label,
                "active": current.split(":")[0] == url_name.split(":")[0]
                and current.startswith(url_name.rsplit("_", 1)[0]),
            }
        )
    return {"navigation": items}
