from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from homeward.access.permissions import Perm, has_perm
from homeward.access.urlmap import NAVIGATION, rule_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's navigation: links, and menus of links (``pages``), as far as the user's
    permissions reach; the current page's link and menu are marked active."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    # "My work" and "My team" share a prefix: where the page itself is in the navigation,
    # only its own link is active; other pages mark the entry of their app (the only one,
    # or the one whose name they continue: a child's page marks "Children")
    names = [url_name for _menu, pages in NAVIGATION for url_name, _label in pages]
    exact = current in names
    namespace = current.split(":")[0]
    alone = sum(name.split(":")[0] == namespace for name in names) == 1

    def link(url_name: str, label: Any) -> dict[str, Any] | None:
        rule = rule_for(url_name, "GET")
        if isinstance(rule, Perm) and not has_perm(user, rule):
            return None
        active = (
            url_name == current
            if exact
            else url_name.split(":")[0] == namespace
            and (alone or current.startswith(url_name.rsplit("_", 1)[0]))
        )
        return {"url": reverse(url_name), "label": label, "active": active}

    entries: list[dict[str, Any]] = []
    for menu, pages in NAVIGATION:
        links = [entry for entry in (link(*page) for page in pages) if entry is not None]
        if menu is None or len(links) == 1:
            entries.extend(links)
        elif links:
            active = any(entry["active"] for entry in links)
            entries.append({"label": menu, "pages": links, "active": active})
    return {"navigation": entries}
