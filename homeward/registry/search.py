"""Name search and duplicate detection over folded name keys.

PostgreSQL: the pg_trgm word-similarity operator on ``search_key`` (GIN index), so typos
and partial words are found in the database at national scale.
SQLite (the embedded, single-office database): the same keys scored with rapidfuzz in
Python over the user's scoped set.
"""

from __future__ import annotations

import datetime
import re
from typing import TypeVar

from django.db import connection
from django.db.models import Case, Expression, FloatField, Model, Q, QuerySet, Value, When
from rapidfuzz import fuzz

from homeward.registry.names import name_key

M = TypeVar("M", bound=Model)

# A query word matches a stored word at this similarity (0–100) or as its prefix.
MIN_WORD_SCORE = 75
PG_WORD_SIMILARITY_THRESHOLD = 0.35
# The embedded search ranks at most this many matches.
SQLITE_MAX_MATCHES = 1000

CASE_NUMBER_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,3}-\d{4}-\d{1,6}$", re.IGNORECASE)
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")


def parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def word_score(query_word: str, stored_words: list[str]) -> float:
    best = 0.0
    for stored in stored_words:
        if len(query_word) >= 2 and stored.startswith(query_word):
            return 100.0
        best = max(best, fuzz.ratio(query_word, stored))
    return best


def key_score(query_words: list[str], stored_key: str) -> float:
    """Mean of each query word's best match; 0 when any word finds no match."""
    stored_words = stored_key.split()
    scores = [word_score(word, stored_words) for word in query_words]
    if not scores or min(scores) < MIN_WORD_SCORE:
        return 0.0
    return sum(scores) / len(scores)


def _search_postgres(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    from django.contrib.postgres.search import TrigramWordSimilarity

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(PG_WORD_SIMILARITY_THRESHOLD)],
        )
    condition = Q()
    score: Expression = Value(0.0)
    for word in words:
        condition &= Q(search_key__trigram_word_similar=word)
        score = score + TrigramWordSimilarity(word, "search_key")
    ranked: QuerySet[M] = queryset.filter(condition).annotate(search_score=score)
    return ranked.order_by("-search_score", "pk")


def _search_python(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    scored = []
    for pk, stored_key in queryset.values_list("pk", "search_key").iterator(chunk_size=5000):
        score = key_score(words, stored_key)
        if score:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    scored = scored[:SQLITE_MAX_MATCHES]
    if not scored:
        return queryset.none()
    rank = Case(
        *[When(pk=pk, then=Value(score)) for score, pk in scored],
        output_field=FloatField(),
    )
    ranked: QuerySet[M] = queryset.filter(pk__in=[pk for _, pk in scored]).annotate(
        search_score=rank
    )
    return ranked.order_by("-search_score", "pk")


def search_by_name(queryset: QuerySet[M], text: str) -> QuerySet[M]:
    """Records whose names match ``text`` in any script, best matches first."""
    words = name_key(text).split()
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgres(queryset, words)
    return _search_python(queryset, words)


def search_children(queryset: QuerySet[M], text: str) -> QuerySet[M]:
    """The register's search box: a case number, a date of birth, or a name."""
    text = text.strip()
    if CASE_NUMBER_RE.match(text):
        return queryset.filter(case_number__iexact=text)
    date = parse_date(text)
    if date is not None:
        return queryset.filter(date_of_birth=date)
    if re.fullmatch(r"\d{3,6}", text):
        # the running number of a case number, as people say it aloud
        return queryset.filter(case_number__endswith="-" + text.zfill(5))
    return search_by_name(queryset, text)


def duplicate_candidates(
    queryset: QuerySet[M],
    *,
    family_name: str,
    given_name: str,
    date_of_birth: datetime.date,
    date_of_birth_estimated: bool,
    sex: str,
    limit: int = 10,
) -> list[tuple[M, float]]:
    """Existing records that may be the same child: same sex, close birth date, similar name."""
    if date_of_birth_estimated:
        born = Q(date_of_birth__year__gte=date_of_birth.year - 1) & Q(
            date_of_birth__year__lte=date_of_birth.year + 1
        )
    else:
        born = Q(date_of_birth=date_of_birth) | Q(
            date_of_birth_estimated=True,
            date_of_birth__year__gte=date_of_birth.year - 1,
            date_of_birth__year__lte=date_of_birth.year + 1,
        )
    candidates = queryset.filter(born, sex=sex)[:500]
    query_words = name_key(f"{family_name} {given_name}").split()
    scored = []
    for candidate in candidates:
        score = key_score(query_words, str(getattr(candidate, "search_key", "")))
        if score >= 80:
            scored.append((candidate, score))
    scored.sort(key=lambda item: -item[1])
    return scored[:limit]
