from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 25
# How far a long list counts before it says "more than": an exact COUNT(*) reads every
# matching row, which at national scale (a million children) costs more than the page.
COUNT_CAP = 1000


def page_rows(queryset: QuerySet[Any], bottom: int, top: int) -> list[Any]:
    """Rows ``bottom``..``top`` of an ordered queryset, found by their keys first.

    The first query walks the list in its order reading only the keys, which a covering
    index answers without the table; the second reads whole only the page's rows (with
    their related records). In one query PostgreSQL reads every row it passes over from
    the table: for a wide scope in name order that was 14,000 rows to find page 1. Keys
    already known in order (``in_known_order``) are not asked for again.
    """
    known = _known_keys(queryset)
    source = queryset
    if known is not None:
        keys = known[bottom:top]
        source = getattr(queryset, "rows_from", queryset)
    else:
        keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    if not keys:
        return []
    found = {row.pk: row for row in source.order_by().filter(pk__in=keys)}
    return [found[key] for key in keys if key in found]


def in_known_order(
    queryset: QuerySet[Any], keys: list[Any], *, rows_from: QuerySet[Any] | None = None
) -> QuerySet[Any]:
    """Tell ``page_rows`` and ``CappedPaginator`` that ``queryset`` holds exactly the rows
    with these keys, in this order (a search that ranked them): a page is then read by its
    keys and the count is theirs, without asking the database for either again. Any new
    filter or ordering makes a new queryset, which forgets them.

    ``rows_from``: a queryset holding those rows with less work per row (the same scope
    without the ranking's thousand-key arrays), from which a page's rows are read."""
    setattr(queryset, "keys_in_order", keys)  # noqa: B010  (read by page_rows and count)
    if rows_from is not None:
        setattr(queryset, "rows_from", rows_from)  # noqa: B010  (read by page_rows)
    return queryset


def _known_keys(rows: Any) -> list[Any] | None:
    keys: list[Any] | None = getattr(rows, "keys_in_order", None)
    return keys


def row_count(queryset: QuerySet[Any]) -> int:
    """The number of rows, from the keys when they are known (``in_known_order``)."""
    known = _known_keys(queryset)
    return len(known) if known is not None else queryset.count()


def with_rows_at_least(queryset: QuerySet[Any], rows: int) -> QuerySet[Any]:
    """Tell ``CappedPaginator`` that ``queryset`` holds at least ``rows`` rows, found while
    building it (a search that stopped at its limit): past the cap it need not count again."""
    setattr(queryset, "rows_at_least", rows)  # noqa: B010  (read by CappedPaginator.count)
    return queryset


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that counts at most ``count_cap + 1`` rows.

    ``count`` is then the exact number up to the cap and ``count_cap + 1`` beyond it;
    ``capped`` says which, so that the page can say "more than N" instead of a number it
    does not know, and only the pages of the first ``count_cap`` rows are offered.
    """

    def __init__(self, object_list: Any, per_page: int, *, count_cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.count_cap = count_cap

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        limit = self.count_cap + 1
        if getattr(rows, "rows_at_least", 0) >= limit:
            return limit
        known = _known_keys(rows)
        if known is not None:
            return min(len(known), limit)
        if isinstance(rows, QuerySet):
            # order_by(): the subquery need not sort before it stops at the limit.
            return int(rows.order_by().values("pk")[:limit].count())
        return min(len(rows), limit)

    @property
    def capped(self) -> bool:
        return self.count > self.count_cap

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        shown = self.count_cap if self.capped else self.count
        if top + self.orphans >= shown:
            top = shown
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return Page(page_rows(rows, bottom, top), number, self)
        return Page(rows[bottom:top], number, self)

    @cached_property
    def num_pages(self) -> int:
        rows = self.count_cap if self.capped else self.count
        if rows == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(max(1, rows - self.orphans) / self.per_page))


def paginate(
    request: HttpRequest,
    queryset: Any,
    per_page: int = PAGE_SIZE,
    *,
    count_cap: int | None = None,
) -> Page[Any]:
    """The requested page; a page number out of range or not a number gives the nearest page.

    With ``count_cap`` the count stops there (see CappedPaginator): for lists that can
    hold a whole country.
    """
    paginator: Paginator[Any] = (
        Paginator(queryset, per_page)
        if count_cap is None
        else CappedPaginator(queryset, per_page, count_cap=count_cap)
    )
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
