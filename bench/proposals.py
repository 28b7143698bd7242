"""Proposed changes to production code, applied in the benchmark process only.

The benchmarks found targets missed; each proposal here is the exact change recommended for
the production module it names, written as a replacement function that ``run.py --proposal``
installs in its own process (nothing on disk changes), plus the DDL it needs, which
``run.py --proposal ... --apply-ddl`` runs in the bench database. docs/performance.md
gives the figures before and after.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from homeward.registry.models import Child

# How far the list page counts before it says "more than": see count_cap below.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Proposal:
    name: str
    summary: str
    install: Callable[[], None]
    ddl: tuple[str, ...] = ()
    undo: tuple[str, ...] = ()


# --- access/scoping.py: child_scope as one id subquery ----------------------------------------


def _child_scope(user: Any, *, include_shared: bool = True) -> Q:
    """access.scoping.child_scope, reshaped: the same children, different SQL.

    Production ORs ``case__case_manager=user`` (a LEFT JOIN of every child to its case)
    with three ``pk IN (subquery)`` terms. An OR keeps PostgreSQL from turning any of them
    into a join, so every count and every page reads the children one by one: 0.3–7 s at
    1,000,000 children for a case manager with 60 cases (the name index is walked to the
    end looking for them).

    Here each source of child ids is a subquery on its own table. The sources that are
    usually empty for a user (assignments, shares, emergency access) are asked first,
    with one cheap indexed EXISTS each, and left out when empty; what remains is one
    ``pk IN (subquery)`` (or, rarely, a UNION ALL of several), which the planner joins
    from the user's rows with good estimates: a few milliseconds for a caseload of 60,
    an ordered walk of the name index for a caseload of 45,000. The agency subtree
    becomes ``agency_id IN (ids of the agencies in the subtree)``.
    """
    from django.utils import timezone

    from homeward.access.models import BreakGlass
    from homeward.access.roles import Role
    from homeward.access.scoping import DATA_ROLES, NOTHING, _active_shares, memberships
    from homeward.accounts.models import Agency
    from homeward.cases.models import Case, CaseAssignment
    from homeward.institutions.models import Residence

    q = NOTHING
    sources: list[QuerySet[Any]] = []  # the role's own children
    extras: list[QuerySet[Any]] = []  # rarely any rows: kept only when they have some
    shared_agencies: list[int] = []
    member = user
    for membership in memberships(user):
        role = membership.role
        if role not in DATA_ROLES:
            continue
        shared_agencies.append(membership.agency_id)
        if role == Role.CASE_MANAGER:
            sources.append(Case.objects.filter(case_manager=member).values("child_id"))
            extras.append(
                CaseAssignment.objects.filter(user=member, ended_on__isnull=True).values(
                    "case__child_id"
                )
            )
        elif role == Role.SUPERVISOR and membership.team_id:
            sources.append(
                Case.objects.filter(Q(team_id=membership.team_id) | Q(supervisor=member)).values(
                    "child_id"
                )
            )
        elif role in {Role.SUPERVISOR, Role.FOSTER_CARE_WORKER}:
            path = membership.agency.path
            subtree = Agency.objects.filter(Q(path=path) | Q(path__startswith=path + "/"))
            # Literal ids, as for areas in _child_list: as a subquery the planner guesses
            # that the subtree is one agency and plans a national supervisor's list as a
            # loop over agencies (1 s); with the ids it knows how many children they hold.
            q |= Q(agency_id__in=list(subtree.values_list("pk", flat=True)))
        elif role == Role.INSTITUTION_STAFF and membership.institution_id:
            sources.append(
                Residence.objects.filter(
                    institution_id=membership.institution_id, left_on__isnull=True
                ).values("child_id")
            )
    if include_shared and shared_agencies:
        extras.append(
            _active_shares()
            .filter(Q(agency_id__in=shared_agencies) | Q(working_group__members=member))
            .values("child_id")
        )
    if shared_agencies:
        extras.append(
            BreakGlass.objects.filter(user=member, expires_at__gt=timezone.now()).values("child_id")
        )
    sources += [extra for extra in extras if extra.exists()]
    if len(sources) == 1:
        q |= Q(pk__in=sources[0])
    elif sources:
        first, *rest = (source.order_by() for source in sources)
        q |= Q(pk__in=first.union(*rest, all=True))
    return q


def _install_scope() -> None:
    import homeward.access.scoping as scoping
    import homeward.registry.selectors as selectors

    scoping.child_scope = _child_scope
    selectors.child_scope = _child_scope  # type: ignore[attr-defined]  # bound by name


# --- registry/selectors.py: the area filter as a subquery on locations ------------------------


def _child_list(user: Any, filters: Any) -> QuerySet[Child]:
    """registry.selectors.child_list with one change: the area filter.

    Production filters on ``home_location__code`` / ``home_location__path`` through a join
    to geo_location, so no index on registry_child.home_location_id can be used and every
    count reads the whole table. The same test on the location, run first on geo_location,
    gives the area's location ids; ``home_location_id IN (ids)`` then uses child_home_idx.
    """
    from django.db.models import Q
    from django.utils import timezone

    from homeward.geo.models import Location
    from homeward.registry import search, selectors

    qs = selectors.children_for_user(user)
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.legal_status:
        qs = qs.filter(legal_status=filters.legal_status)
    if filters.disability is not None:
        qs = qs.filter(has_disability=filters.disability)
    if filters.location:
        code = filters.location
        areas = Location.objects.filter(
            Q(code=code) | Q(path__contains=f"/{code}/") | Q(path__startswith=f"{code}/")
        )
        # The ids as literals (one query on a table of a few hundred rows): the planner
        # then knows from its statistics how many children live there and picks the
        # index on home_location_id only when that is few.
        qs = qs.filter(home_location_id__in=list(areas.values_list("pk", flat=True)))
    if filters.age_band in selectors.AGE_BANDS:
        low, high = selectors.AGE_BANDS[filters.age_band]
        qs = qs.filter(selectors._birth_range_for_age(low, high, timezone.localdate()))
    if filters.institution:
        from homeward.institutions.models import Residence

        qs = qs.filter(
            pk__in=Residence.objects.filter(
                institution__code=filters.institution, left_on__isnull=True
            ).values("child_id")
        )
    qs = qs.select_related("home_location")
    if filters.q.strip():
        return cast("QuerySet[Child]", search.search_children(qs, filters.q))
    return qs.order_by(*selectors.SORTS.get(filters.sort, selectors.SORTS["name"]))


def _install_location() -> None:
    import homeward.registry.selectors as selectors

    selectors.child_list = _child_list


# --- core/paging.py: count up to a cap ----------------------------------------------------


def _capped_paginate(request: Any, queryset: Any, per_page: int = 25) -> Any:
    """core.paging.paginate counting at most COUNT_CAP + 1 rows.

    An exact COUNT(*) reads every matching row: a national list (1,000,000 rows) or a
    common name costs hundreds of milliseconds on its own. Counting ``qs[:cap + 1]`` stops
    at the cap; the page then says "more than 1,000" and offers the first 40 pages, which
    is as far as anyone pages before refining the filters.
    """
    from django.core.paginator import Paginator
    from django.utils.functional import cached_property

    class CappedPaginator(Paginator):  # type: ignore[type-arg]
        @cached_property
        def count(self) -> int:
            # Without order_by() the subquery keeps the page's ORDER BY and sorts first.
            rows = cast("QuerySet[Any]", self.object_list).order_by().values("pk")
            return int(rows[: COUNT_CAP + 1].count())

    paginator = CappedPaginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def _install_count_cap() -> None:
    import homeward.core.paging as paging
    import homeward.registry.views as views

    paging.paginate = _capped_paginate
    views.paginate = _capped_paginate  # type: ignore[attr-defined]  # bound by name


# --- registry/search.py: case numbers by index -------------------------------------------


def _search_children(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """registry.search.search_children with case numbers matched through their indexes.

    ``case_number__iexact`` compiles to UPPER(case_number) = UPPER(%s), which no index
    serves: every search by case number reads the whole table (about 2 s at 1,000,000).
    Case numbers are written in capitals (registry.actions._next_case_number takes the
    region code), so comparing with ``text.upper()`` is the same test, and the unique
    index answers it. The running number (``endswith``) is a LIKE '%-00042' that only a
    trigram index can serve: see the DDL.
    """
    import re

    from homeward.registry import search

    text = text.strip()
    if search.CASE_NUMBER_RE.match(text):
        return queryset.filter(case_number=text.upper())
    date = search.parse_date(text)
    if date is not None:
        return queryset.filter(date_of_birth=date)
    if re.fullmatch(r"\d{3,6}", text):
        return queryset.filter(case_number__endswith="-" + text.zfill(5))
    return search.search_by_name(queryset, text)


def _install_case_number() -> None:
    import homeward.registry.search as search

    search.search_children = _search_children


# --- registry/search.py: exact words first, fuzzy only when needed -------------------------

PG_MAX_MATCHES = 1000
# Typos and near-spellings are ranked by trigram similarity only when no row holds every
# query word exactly ("when-empty"); "below-cap" also ranks them whenever fewer than
# PG_MAX_MATCHES rows match exactly, which keeps production's order for the first
# PG_MAX_MATCHES results but is as slow as production for common names. Overridable so
# that both can be measured.
FUZZY_MODE = os.environ.get("BENCH_SEARCH_FUZZY", "when-empty")
VOCABULARY_ALTERNATIVES = 5


def _search_postgres(queryset: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    """registry.search._search_postgres: exact words by index first, fuzzy as the fallback.

    Production filters with ``search_key %> word`` for each word and orders by the summed
    word similarity; the paginator then counts the same set. Both passes read and score
    every candidate the trigram index returns: for a common given name ("Александр",
    "Мария") that is a tenth of the register, 0.2–2 s per search at 1,000,000 children.

    1. Rows whose key holds every query word exactly (transliteration variants are
       already folded into the key) come from a GIN index on
       ``string_to_array(search_key, ' ')`` with ``@>``. In production they score the
       maximum (each word's similarity is 1) and come first, in primary-key order.
    2. If there are PG_MAX_MATCHES or more, the queryset of those rows is returned as is,
       ordered by primary key: the same first results as production, and the page and
       a capped count (see count-cap) stop early.
    3. Otherwise the few exact rows, or (when there are none) the production trigram
       ranking, limited to PG_MAX_MATCHES, are returned by id the way _search_python
       (SQLite) already does.
    """
    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.search import TrigramWordSimilarity
    from django.db import connection
    from django.db.models import Case, F, FloatField, Func, TextField, Value, When

    from homeward.registry import search

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(search.PG_WORD_SIMILARITY_THRESHOLD)],
        )
    key_words = Func(
        F("search_key"),
        Value(" "),
        function="string_to_array",
        output_field=ArrayField(TextField()),
    )
    exact = queryset.alias(key_words=key_words).filter(key_words__contains=words)
    # No ORDER BY: the probe stops at the cap instead of sorting every exact match.
    probe = list(exact.order_by().values_list("pk", flat=True)[:PG_MAX_MATCHES])
    best = float(len(words))
    if len(probe) >= PG_MAX_MATCHES:
        everything: QuerySet[Any] = exact.annotate(search_score=Value(best))
        return everything.order_by("-search_score", "pk")
    ranked = [(best, pk) for pk in sorted(probe)]
    score: Any = Value(0.0)
    for word in words:
        score = score + TrigramWordSimilarity(word, "search_key")
    if not probe and FUZZY_MODE == "vocabulary":
        # A word no record holds is probably misspelt: replace it by the nearest words
        # that records do hold (a table of a few thousand distinct words), and look the
        # combinations up through the same GIN index. Ranked like production.
        candidates = queryset.alias(key_words=key_words)
        corrected = True
        with connection.cursor() as cursor:
            for word in words:
                cursor.execute(
                    "SELECT word FROM registry_searchword WHERE word %% %s "
                    "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                    [word, word, VOCABULARY_ALTERNATIVES],
                )
                near = [row[0] for row in cursor.fetchall()]
                if not near:
                    corrected = False
                    break
                if near[0] == word:
                    candidates = candidates.filter(key_words__contains=[word])
                else:
                    candidates = candidates.filter(key_words__overlap=near)
        if corrected:
            ranked = [
                (float(value), pk)
                for value, pk in candidates.annotate(search_score=score)
                .order_by("-search_score", "pk")
                .values_list("search_score", "pk")[:PG_MAX_MATCHES]
            ]
    if not ranked or FUZZY_MODE == "below-cap":
        condition = Q()
        for word in words:
            condition &= Q(search_key__trigram_word_similar=word)
        ranked = [
            (float(value), pk)
            for value, pk in queryset.filter(condition)
            .annotate(search_score=score)
            .order_by("-search_score", "pk")
            .values_list("search_score", "pk")[:PG_MAX_MATCHES]
        ]
    if not ranked:
        return queryset.none()
    rank = Case(*[When(pk=pk, then=Value(v)) for v, pk in ranked], output_field=FloatField())
    result: QuerySet[Any] = queryset.filter(pk__in=[pk for _, pk in ranked]).annotate(
        search_score=rank
    )
    return result.order_by("-search_score", "pk")


def _install_search() -> None:
    import homeward.registry.search as search

    threshold = os.environ.get("BENCH_TRGM_THRESHOLD")
    if threshold:
        search.PG_WORD_SIMILARITY_THRESHOLD = float(threshold)
    search._search_postgres = _search_postgres


def _install_vocabulary() -> None:
    global FUZZY_MODE
    _install_search()
    FUZZY_MODE = "vocabulary"


PROPOSALS: dict[str, Proposal] = {
    p.name: p
    for p in (
        Proposal(
            "scope-union",
            "access.scoping.child_scope: child ids as IN (subquery), empty sources left out",
            _install_scope,
            ("CREATE INDEX IF NOT EXISTS case_manager_child_idx "
             "ON cases_case (case_manager_id, child_id)",),
            ("DROP INDEX IF EXISTS case_manager_child_idx",),
        ),
        Proposal(
            "location-subquery",
            "registry.selectors.child_list: area filter as home_location_id IN (area's ids)",
            _install_location,
        ),
        Proposal(
            "count-cap",
            f"core.paging.paginate: count at most {COUNT_CAP} + 1 rows",
            _install_count_cap,
        ),
        Proposal(
            "case-number",
            "registry.search.search_children: exact upper-case case number; trigram index",
            _install_case_number,
            ("CREATE INDEX IF NOT EXISTS child_case_number_trgm "
             "ON registry_child USING gin (case_number gin_trgm_ops)",),
            ("DROP INDEX IF EXISTS child_case_number_trgm",),
        ),
        Proposal(
            "search-ranked",
            "registry.search._search_postgres: exact words by GIN first; rank <= 1000 once",
            _install_search,
            ("CREATE INDEX IF NOT EXISTS child_search_words "
             "ON registry_child USING gin (string_to_array(search_key, ' '))",),
            ("DROP INDEX IF EXISTS child_search_words",),
        ),
        Proposal(
            "search-vocabulary",
            "search-ranked, and a misspelt word is replaced by its nearest known words",
            _install_vocabulary,
            ("CREATE INDEX IF NOT EXISTS child_search_words "
             "ON registry_child USING gin (string_to_array(search_key, ' '))",
             "CREATE TABLE IF NOT EXISTS registry_searchword AS "
             "SELECT unnest(string_to_array(search_key, ' ')) AS word FROM registry_child "
             "UNION SELECT unnest(string_to_array(search_key, ' ')) FROM registry_person",
             "CREATE UNIQUE INDEX IF NOT EXISTS searchword_word ON registry_searchword (word)",
             "CREATE INDEX IF NOT EXISTS searchword_trgm "
             "ON registry_searchword USING gin (word gin_trgm_ops)"),
            ("DROP INDEX IF EXISTS child_search_words",
             "DROP TABLE IF EXISTS registry_searchword"),
        ),
        Proposal(
            "sort-indexes",
            "registry.Child.Meta.indexes: (created_at, id) for sort=-registered",
            lambda: None,
            ("CREATE INDEX IF NOT EXISTS child_created_idx "
             "ON registry_child (created_at, id)",),
            ("DROP INDEX IF EXISTS child_created_idx",),
        ),
    )
}  # fmt: skip


def install(names: list[str]) -> list[Proposal]:
    chosen = list(PROPOSALS) if "all" in names else names
    applied = []
    for name in chosen:
        proposal = PROPOSALS[name]
        proposal.install()
        applied.append(proposal)
    return applied
