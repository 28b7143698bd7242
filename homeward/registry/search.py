"""Name search and duplicate detection over folded name keys.

PostgreSQL (national scale): the words of ``search_key`` are looked up through a GIN index
on ``string_to_array(search_key, ' ')``. Rows holding every query word exactly come first;
when they are fewer than MAX_MATCHES, each query word is widened to the stored words most
like it (pg_trgm word similarity over the vocabulary of stored words, the table
``registry_searchword`` kept by triggers, see migration 0006), so that typos and the start
of a name still find the record, and the rows found are ranked by the trigram word
similarity of their keys.
SQLite (the embedded, single-office database): the same keys scored with rapidfuzz in
Python over the user's scoped set.
"""

from __future__ import annotations

import datetime
import re
from typing import TypeVar

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from rapidfuzz import fuzz

from homeward.core.paging import in_known_order, with_rows_at_least
from homeward.registry.names import name_key

M = TypeVar("M", bound=Model)

# A query word matches a stored word at this similarity (0–100) or as its prefix.
MIN_WORD_SCORE = 75
PG_WORD_SIMILARITY_THRESHOLD = 0.35
# A search ranks at most this many matches (the list then says "more than").
MAX_MATCHES = 1000
SQLITE_MAX_MATCHES = MAX_MATCHES
# PostgreSQL: each query word stands for at most this many stored words like it, or
# NEAR_ALTERNATIVES when those find more than FUZZY_BUDGET rows to rank.
WORD_ALTERNATIVES = 20
NEAR_ALTERNATIVES = 4
FUZZY_BUDGET = 5000

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
    """100 for the word itself, 99 for a word it begins (a name typed in part), else the
    closeness of the nearest word: an exact name ranks before a longer one it begins."""
    best = 0.0
    for stored in stored_words:
        if stored == query_word:
            return 100.0
        if len(query_word) >= 2 and stored.startswith(query_word):
            best = max(best, 99.0)
        else:
            best = max(best, fuzz.ratio(query_word, stored))
    return best


def key_score(query_words: list[str], stored_key: str) -> float:
    """Mean of each query word's best match; 0 when any word finds no match."""
    stored_words = stored_key.split()
    scores = [word_score(word, stored_words) for word in query_words]
    if not scores or min(scores) < MIN_WORD_SCORE:
        return 0.0
    return sum(scores) / len(scores)


def _key_words() -> Func:
    """``string_to_array(search_key, ' ')``: the expression the GIN word indexes are on."""
    from django.contrib.postgres.fields import ArrayField

    return Func(
        F("search_key"),
        Value(" "),
        function="string_to_array",
        output_field=ArrayField(TextField()),
    )


def _similar_words(word: str) -> list[str]:
    """The stored words most like ``word``, by pg_trgm word similarity, best first.

    The same test as ``search_key %> word`` (the word is like a part of a stored word,
    so the start of a name matches too), asked of the vocabulary instead of every key.
    The word itself always comes first, so that an exact match never depends on the
    vocabulary being up to date.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM registry_searchword WHERE %s <%% word "
            "ORDER BY word_similarity(%s, word) DESC, length(word), word LIMIT %s",
            [word, word, WORD_ALTERNATIVES],
        )
        found = [row[0] for row in cursor.fetchall()]
    return [word, *(other for other in found if other != word)]


def _search_postgres(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    from django.contrib.postgres.search import TrigramWordSimilarity

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(PG_WORD_SIMILARITY_THRESHOLD)],
        )
    keyed = queryset.alias(key_words=_key_words())
    best = float(len(words))
    # 1. Every word exactly: each scores the maximum, 1, so these rows lead the ranking
    # in primary-key order. With MAX_MATCHES of them they are all the list shows.
    exact = keyed.filter(key_words__contains=words)
    # one more than the list shows: then the list knows it is capped without counting again
    probe = list(exact.order_by().values_list("pk", flat=True)[: MAX_MATCHES + 1])
    if len(probe) >= MAX_MATCHES:
        everything: QuerySet[M] = exact.annotate(search_score=Value(best))
        return with_rows_at_least(everything.order_by("-search_score", "pk"), len(probe))
    # 2. Fewer: each word stands for the stored words like it (typos, other spellings,
    # the start of a name), and the rows holding one of them for every word are ranked
    # by trigram word similarity, as the words' nearness to the key. Ranking reads every
    # candidate, so when the alternatives find more than FUZZY_BUDGET rows (a common
    # name, the start of one) fewer and nearer alternatives are taken, down to the words
    # as typed. The nearest are tried first: their rows are a part of the wider ones',
    # so when they are over the budget the wider ones are too, and reading the word index
    # for every row holding a common word ("ivan", "ivanov", "ivanova" nationwide) is
    # done once instead of twice; when they fill the list, the wider ones are not read.
    # The candidates within the budget are ranked by their ids, already found within
    # the user's scope: the ranking then reads those rows only, instead of finding them
    # again through the word index and the scope.
    alternatives = [_similar_words(word) for word in words]

    def holding(take: int) -> QuerySet[M]:
        rows: QuerySet[M] = keyed
        for similar in alternatives:
            rows = rows.filter(key_words__overlap=similar[:take])
        return rows

    def within_budget(take: int) -> list[int] | None:
        found = list(holding(take).order_by().values_list("pk", flat=True)[: FUZZY_BUDGET + 1])
        return found if len(found) <= FUZZY_BUDGET else None

    found = within_budget(NEAR_ALTERNATIVES)
    if found is None:
        candidates = holding(1)
    else:
        # the list holds MAX_MATCHES rows: when the nearest spellings fill it, the
        # farther ones are not looked for (as exact words fill it in step 1)
        wider_differ = any(len(similar) > NEAR_ALTERNATIVES for similar in alternatives)
        if wider_differ and len(found) < MAX_MATCHES:
            wider = within_budget(WORD_ALTERNATIVES)
            if wider is not None:
                found = wider
        candidates = queryset.model._default_manager.filter(pk__any_of=found)
    score: Expression = Value(0.0)
    for word in words:
        score = score + TrigramWordSimilarity(word, "search_key")
    ranked = [
        (float(value), pk)
        for value, pk in candidates.annotate(search_score=score)
        .order_by("-search_score", "pk")
        .values_list("search_score", "pk")[:MAX_MATCHES]
    ]
    return _ranked(queryset, ranked)


def _ranked(queryset: QuerySet[M], scored: list[tuple[float, int]]) -> QuerySet[M]:
    """The rows ``scored`` as (score, pk), best first."""
    if not scored:
        return queryset.none()
    pks = [pk for _, pk in scored]
    rank: Expression
    if connection.vendor == "postgresql":
        # The score looked up by the row's place in the list of ids: two array
        # parameters, where a CASE of a thousand WHENs took Django longer to build than
        # the search took to run, and PostgreSQL longer to evaluate for each row.
        from django.contrib.postgres.fields import ArrayField

        position = Func(
            Cast(Value(pks), ArrayField(BigIntegerField())),
            F("pk"),
            function="array_position",
            output_field=IntegerField(),
        )
        rank = Func(
            Cast(Value([score for score, _ in scored]), ArrayField(FloatField())),
            position,
            template="(%(expressions)s]",
            arg_joiner=")[",
            output_field=FloatField(),
        )
    else:
        rank = Case(
            *[When(pk=pk, then=Value(score)) for score, pk in scored],
            output_field=FloatField(),
        )
    ranked: QuerySet[M] = queryset.filter(pk__any_of=pks).annotate(search_score=rank)
    return in_known_order(ranked.order_by("-search_score", "pk"), pks, rows_from=queryset)


def _search_python(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    scored = []
    for pk, stored_key in queryset.values_list("pk", "search_key").iterator(chunk_size=5000):
        score = key_score(words, stored_key)
        if score:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return _ranked(queryset, scored[:SQLITE_MAX_MATCHES])


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
        # Case numbers are written in capitals (the region's code): comparing as typed
        # and in capitals is the case-insensitive test the unique index can answer,
        # where UPPER(case_number) = UPPER(%s) reads every row.
        return queryset.filter(case_number__in=sorted({text, text.upper()}))
    date = parse_date(text)
    if date is not None:
        return queryset.filter(date_of_birth=date)
    if re.fullmatch(r"\d{3,6}", text):
        # the running number of a case number, as people say it aloud (on PostgreSQL
        # a trigram index on case_number serves the LIKE '%-00042')
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
