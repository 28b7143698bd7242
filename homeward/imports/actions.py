"""Census imports: upload, check (a dry run), then write everything in one transaction.

The write is done in bulk for speed (100,000 rows within a minute), so it does not call
``registry.actions.child_register`` and ``care.actions.placement_start`` row by row. It does
what they do, in the same way: Latin names and search keys from ``registry.names``, a case
number from the same counter, an open case with its "opened" event (as ``case_open``), model
validation with ``full_clean()`` of what it fills in every child, case and placement, and the
audit event in the same transaction; the rows go in by COPY on PostgreSQL (``core.bulk``).
What it deliberately leaves out for historical rows: a gatekeeping decision (a census has
none), review tasks, and one audit event per record (the import's event names the job, and
every record it made carries the importing user).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeward.access.roles import Role
from homeward.access.scoping import has_role_in, team_for
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.care.episodes import episodes
from homeward.care.models import RESIDENTIAL, Placement, PlacementWarning
from homeward.cases.models import Case, CaseEvent, CaseEventType
from homeward.core import bulk
from homeward.geo.models import Level, Location
from homeward.imports.census import (
    Area,
    CensusRow,
    Checked,
    FileRefused,
    Issue,
    References,
    check_file,
    count_lines,
    message,
    sniff_format,
    sorted_issues,
)
from homeward.imports.models import ALLOWED_MOVES, ImportJob, ImportStatus
from homeward.imports.selectors import import_agencies
from homeward.indicators.facts import refresh as refresh_facts
from homeward.institutions.models import Institution, Residence
from homeward.registry.models import CaseNumberCounter, Child
from homeward.registry.names import name_key, to_latin

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User

logger = logging.getLogger(__name__)

# Reports keep this many errors and warnings; the counts say how many there were.
REPORT_LIMIT = 1000
PROGRESS_EVERY = 2000
BATCH = 1000
LOOKUP_CHUNK = 2000
NAME_FIELDS = ("family_name", "given_name", "patronymic")


class ImportRefused(Exception):
    """Checks against the records failed at write time: everything is rolled back."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("import refused")
        self.issues = issues


# --- upload and queue -----------------------------------------------------------------------


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _enqueue(job: ImportJob) -> None:
    from homeward.imports.tasks import import_job_task

    uuid = str(job.uuid)
    transaction.on_commit(lambda: import_job_task.enqueue(uuid))


@transaction.atomic
def import_job_create(
    *, actor: User, upload: UploadedFile, agency: Agency, dry_run: bool = True
) -> ImportJob:
    """Store an uploaded census file and queue its check (and, unless a dry run, its import).

    A file that is not CSV or XLSX by its contents, or that is too large, is refused here and
    nothing is stored.
    """
    if agency.pk not in {a.pk for a in import_agencies(actor)}:
        raise ValidationError({"agency": _("You cannot import for this agency.")})
    size = upload.size or 0
    if size > settings.IMPORT_MAX_BYTES:
        limit = filesizeformat(settings.IMPORT_MAX_BYTES)
        raise ValidationError({"file": message("file_too_large", {"limit": limit})})
    try:
        file_format = sniff_format(upload)
    except FileRefused as refused:
        raise ValidationError({"file": message(refused.code, refused.params)}) from None
    name = (upload.name or "census").replace("\\", "/").rsplit("/", 1)[-1][:200]
    job = ImportJob(
        status=ImportStatus.QUEUED,
        dry_run=dry_run,
        file_format=file_format,
        original_name=name,
        size=size,
        sha256=_sha256(upload),
        rows_total=count_lines(upload, file_format),
        agency=agency,
        created_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.full_clean(exclude=["file"])
    upload.seek(0)
    job.file.save(job.uuid.hex, upload, save=False)
    job.save()
    _enqueue(job)
    return job


@transaction.atomic
def import_job_commit(*, actor: User, job: ImportJob) -> ImportJob:
    """Import a file whose dry run found no errors: it is checked again, then written."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.created_by_id != actor.pk:
        raise ValidationError(_("Only the person who uploaded the file can import it."))
    if locked.status != ImportStatus.VALID or not locked.dry_run:
        raise ValidationError(_("Only a file checked without errors can be imported."))
    _move(locked, ImportStatus.QUEUED, dry_run=False, rows_done=0)
    _enqueue(locked)
    return locked


def _move(job: ImportJob, status: str, **fields: Any) -> None:
    """Change the status along an allowed move; a job that another worker moved first is
    left alone (the conditional update matches nothing)."""
    if status not in ALLOWED_MOVES[job.status]:
        raise ValidationError(
            _("An import cannot go from %(old)s to %(new)s.") % {"old": job.status, "new": status}
        )
    moved = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=status, updated_at=timezone.now(), **fields
    )
    if not moved:
        raise ValidationError(_("This import was changed by someone else."))
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)


# --- running: check, then write ----------------------------------------------------------------


def import_job_run(*, job_uuid: str) -> ImportJob:
    """The task's work. Runs a queued job once; a job in any other state is left as it is."""
    job = ImportJob.objects.select_related("agency__area", "created_by").get(uuid=job_uuid)
    if job.status != ImportStatus.QUEUED:
        return job
    _move(job, ImportStatus.VALIDATING, started_at=timezone.now(), rows_done=0)
    try:
        with translation.override(job.language):
            _run(job)
    except Exception:
        logger.exception("Import %s failed", job.uuid)
        if ImportStatus.FAILED in ALLOWED_MOVES[job.status]:
            _finish(job, ImportStatus.FAILED, {"errors": [Issue(0, "", "failed").as_dict()]})
    return job


def _run(job: ImportJob) -> None:
    refs = _references(job)

    def progress(rows: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    with job.file.open("rb") as handle:
        checked = check_file(handle, job.file_format, refs, progress, every=PROGRESS_EVERY)
    ImportJob.objects.filter(pk=job.pk).update(rows_done=checked.lines, rows_total=checked.lines)
    job.rows_done = job.rows_total = checked.lines
    issues = list(checked.issues)
    actor = job.created_by
    if actor is None or job.agency_id not in {a.pk for a in import_agencies(actor)}:
        issues.insert(0, Issue(0, "", "agency_lost", {"agency": job.agency.name}))
    if issues or actor is None:
        _finish(job, ImportStatus.INVALID, _report(checked, issues, None))
        return
    if job.dry_run:
        plan = plan_census(job.agency, checked, lock=False)
        status = ImportStatus.INVALID if plan.issues else ImportStatus.VALID
        _finish(job, status, _report(checked, plan.issues, plan))
        return
    _move(job, ImportStatus.IMPORTING)
    try:
        with transaction.atomic():
            # Checked against the records again, with the rows locked, right before writing.
            plan = plan_census(job.agency, checked, lock=True)
            if plan.issues:
                raise ImportRefused(plan.issues)
            census_write(actor=actor, job=job, plan=plan)
    except ImportRefused as refused:
        _finish(job, ImportStatus.INVALID, _report(checked, refused.issues, None))
        return
    _finish(job, ImportStatus.DONE, _report(checked, [], plan))


def _finish(job: ImportJob, status: str, report: dict[str, Any]) -> None:
    keep_file = status == ImportStatus.VALID  # waiting for "import now"
    _move(job, status, report=report, finished_at=timezone.now())
    if not keep_file and job.file:
        # The census holds personal data: once the job is final the file is not kept.
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _report(checked: Checked, issues: list[Issue], plan: Plan | None) -> dict[str, Any]:
    ordered = sorted_issues(issues)
    warnings = sorted_issues(plan.warnings) if plan is not None else []
    report: dict[str, Any] = {
        "lines": checked.lines,
        "error_count": len(ordered),
        "errors": [i.as_dict() for i in ordered[:REPORT_LIMIT]],
        "warning_count": len(warnings),
        "warnings": [i.as_dict() for i in warnings[:REPORT_LIMIT]],
    }
    if plan is not None and not issues:
        report.update(plan.counts())
    return report


def _references(job: ImportJob) -> References:
    regions: dict[str, Area] = {}
    districts: dict[str, Area] = {}
    rows = Location.objects.filter(level__in=[Level.REGION, Level.DISTRICT]).values_list(
        "pk", "code", "parent_id", "path", "level"
    )
    for pk, code, parent_id, path, level in rows:
        target = regions if level == Level.REGION else districts
        target[code.upper()] = Area(pk, code, parent_id, path)
    return References(
        regions=regions,
        districts=districts,
        institutions=dict(Institution.objects.values_list("code", "pk")),
        area_path=job.agency.area.path,
        agency_name=job.agency.name,
        today=timezone.localdate(),
    )


# --- the file against what is recorded ------------------------------------------------------


@dataclass(frozen=True)
class RecordedChild:
    pk: int
    agency_path: str
    family_name: str
    given_name: str
    sex: str
    date_of_birth: datetime.date
    home_district_id: int


@dataclass
class RecordedPlacement:
    pk: int
    child_id: int
    care_type: str
    district_id: int
    start: datetime.date
    end: datetime.date | None
    exit_destination: str
    institution_id: int | None


@dataclass
class Plan:
    groups: dict[str, list[CensusRow]]
    recorded_children: dict[str, RecordedChild]
    recorded_placements: dict[int, list[RecordedPlacement]]
    new_placements: list[CensusRow] = field(default_factory=list)
    endings: list[tuple[RecordedPlacement, CensusRow]] = field(default_factory=list)
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "children_new": len(self.groups) - len(self.recorded_children),
            "children_existing": len(self.recorded_children),
            "placements_new": len(self.new_placements),
            "placements_ended": len(self.endings),
            "placements_unchanged": self.unchanged,
        }


def _chunks(items: list[Any], size: int = LOOKUP_CHUNK) -> Iterable[list[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _load_recorded(
    external_ids: list[str], lock: bool
) -> tuple[dict[str, RecordedChild], dict[int, list[RecordedPlacement]]]:
    children: dict[str, RecordedChild] = {}
    for chunk in _chunks(external_ids):
        # "not blank" lets the database use the partial unique index on external_id
        query = Child.objects.filter(external_id__any_of=chunk).exclude(external_id="")
        if lock:
            query = query.select_for_update(of=("self",))
        for pk, ext, path, family, given, sex, born, home, level, parent in query.values_list(
            "pk",
            "external_id",
            "agency__path",
            "family_name",
            "given_name",
            "sex",
            "date_of_birth",
            "home_location_id",
            "home_location__level",
            "home_location__parent_id",
        ):
            district = parent if level == Level.LOCALITY and parent else home
            children[ext] = RecordedChild(pk, path, family, given, sex, born, district)
    placements: dict[int, list[RecordedPlacement]] = {}
    ids = [c.pk for c in children.values()]
    for chunk in _chunks(ids):
        rows = Placement.objects.filter(child_id__any_of=chunk)
        if lock:
            rows = rows.select_for_update()
        for values in rows.values_list(
            "pk",
            "child_id",
            "care_type",
            "district_id",
            "start",
            "end",
            "exit_destination",
            "institution_id",
        ):
            placement = RecordedPlacement(*values)
            placements.setdefault(placement.child_id, []).append(placement)
    return children, placements


def _overlaps(a_start: Any, a_end: Any, b_start: Any, b_end: Any) -> bool:
    """Two [start, end) intervals, an open end reaching forever."""
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def plan_census(agency: Agency, checked: Checked, *, lock: bool) -> Plan:
    """Match the file's children by external_id and their placements by start date.

    New children and placements are to be created; a recorded open placement that the file
    ends is to be ended; anything that contradicts the records is an issue.
    """
    groups = checked.by_child()
    children, placements = _load_recorded(list(groups), lock)
    plan = Plan(groups, children, placements)
    within = agency.path + "/"
    for ext, rows in groups.items():
        first = min(rows, key=lambda r: r.line)
        child = children.get(ext)
        if child is None:
            plan.new_placements.extend(rows)
            continue
        if child.agency_path != agency.path and not child.agency_path.startswith(within):
            plan.issues.append(Issue(first.line, "external_id", "other_agency"))
            continue
        for column in ("family_name", "given_name", "sex", "date_of_birth"):
            if getattr(child, column) != getattr(first, column):
                plan.warnings.append(
                    Issue(first.line, column, "registered_differs", {"column": column})
                )
        _plan_placements(plan, rows, placements.get(child.pk, []))
    return plan


def _plan_placements(plan: Plan, rows: list[CensusRow], recorded: list[RecordedPlacement]) -> None:
    by_start = {p.start: p for p in recorded}
    matched: set[int] = set()
    effective_end: dict[int, datetime.date | None] = {p.pk: p.end for p in recorded}
    fresh: list[CensusRow] = []
    for row in rows:
        record = by_start.get(row.start)
        if record is None:
            fresh.append(row)
            continue
        matched.add(record.pk)
        if record.care_type != row.care_type:
            plan.issues.append(
                Issue(row.line, "care_type", "recorded_differs", {"value": record.care_type})
            )
        elif record.district_id != row.district_id:
            plan.issues.append(Issue(row.line, "district_code", "recorded_differs", _code(record)))
        elif record.end is None and row.end is not None:
            plan.endings.append((record, row))
            effective_end[record.pk] = row.end
        elif (
            record.end is not None
            and row.end is not None
            and (record.end != row.end or record.exit_destination != row.exit_destination)
        ):
            plan.issues.append(
                Issue(row.line, "placement_end", "recorded_end", {"end": record.end.isoformat()})
            )
        else:
            plan.unchanged += 1
    for row in fresh:
        for record in recorded:
            if _overlaps(row.start, row.end, record.start, effective_end[record.pk]):
                plan.issues.append(
                    Issue(
                        row.line,
                        "placement_start",
                        "overlap_recorded",
                        {"start": record.start.isoformat()},
                    )
                )
                break
        else:
            plan.new_placements.append(row)


def _code(record: RecordedPlacement) -> dict[str, str]:
    code = Location.objects.filter(pk=record.district_id).values_list("code", flat=True).first()
    return {"value": code or ""}


# --- writing ---------------------------------------------------------------------------------


def _case_number_prefix(home: Location) -> str:
    """The region's code, as ``registry.actions`` numbers a registered child's case."""
    path = home.path.split("/")
    return path[1] if len(path) > 1 else path[0]


def _reserve_case_numbers(prefixes: list[str]) -> list[str]:
    """Case numbers for many new children at once, from the counter child_register uses
    (prefix: the region's code, as in ``registry.actions``)."""
    year = timezone.localdate().year
    next_number: dict[str, int] = {}
    for prefix, count in Counter(prefixes).items():
        counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        next_number[prefix] = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    numbers = []
    for prefix in prefixes:
        numbers.append(f"{prefix}-{year}-{next_number[prefix]:05d}")
        next_number[prefix] += 1
    return numbers


_NOT_FILLED: dict[tuple[str, tuple[str, ...]], list[str]] = {}


def _clean(instance: Any, filled: list[str], line: int, issues: list[Issue]) -> None:
    """Model validation of the fields the import fills; uniqueness is checked by the import
    itself, so it is not queried again once per record."""
    key = (instance._meta.label, tuple(filled))
    if key not in _NOT_FILLED:
        _NOT_FILLED[key] = [f.name for f in instance._meta.concrete_fields if f.name not in filled]
    exclude = _NOT_FILLED[key]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for text in messages:
                issues.append(Issue(line, name, "model", {"text": text}))


# Names repeat across a census (a few thousand family names, a few hundred given names): the
# registry's transliteration and folding are remembered per name for the length of a process.
_latin = lru_cache(maxsize=100_000)(to_latin)
_name_key = lru_cache(maxsize=100_000)(name_key)


def _search_key(*parts: str) -> str:
    """``registry.names.search_key_for``, with each part's key remembered."""
    words: list[str] = []
    for part in parts:
        for word in _name_key(part).split():
            if word not in words:
                words.append(word)
    return " ".join(words)


# What model validation checks of each record: the fields the import fills (foreign keys were
# resolved from loaded rows, the other fields keep their defaults); each model's clean() too.
CHILD_FILLED = [
    "external_id", *NAME_FIELDS, *(f"{name}_latin" for name in NAME_FIELDS), "search_key",
    "sex", "date_of_birth", "has_disability", "legal_status", "case_number",
]  # fmt: skip
CASE_FILLED = ["opened_on", "status"]
PLACEMENT_FILLED = [
    "care_type", "start", "end", "exit_destination", "reason", "warnings", "next_review_on",
]  # fmt: skip


@dataclass(frozen=True)
class ChildFacts:
    """What the placements of a child need to know of it."""

    pk: int
    date_of_birth: datetime.date
    home_district_id: int


def _new_child(actor: User, agency: Agency, ext: str, row: CensusRow, home: Location) -> Child:
    child = Child(
        agency=agency,
        created_by=actor,
        external_id=ext,
        family_name=row.family_name,
        given_name=row.given_name,
        patronymic=row.patronymic,
        sex=row.sex,
        date_of_birth=row.date_of_birth,
        has_disability=row.disability,
        legal_status=row.legal_status,
        home_location=home,
    )
    country = home.country_code
    for name in NAME_FIELDS:
        setattr(child, f"{name}_latin", _latin(getattr(child, name), country))
    child.search_key = _search_key(
        *(getattr(child, f) for f in NAME_FIELDS),
        *(getattr(child, f"{f}_latin") for f in NAME_FIELDS),
    )
    return child


def children_import(
    *,
    actor: User,
    agency: Agency,
    groups: dict[str, list[CensusRow]],
    districts: dict[int, Location],
    job: ImportJob,
) -> dict[str, ChildFacts]:
    """Register the census's new children, with their cases, in batches.

    Each child lives (``home_location``) in the district of their latest placement in the file.
    After the first invalid child nothing more is written, but every child is still checked so
    that the report lists all problems; the caller's transaction then rolls back.
    """
    issues: list[Issue] = []
    facts: dict[str, ChildFacts] = {}
    items = list(groups.items())
    homes = [districts[rows[-1].district_id] for _ext, rows in items]
    numbers = iter(_reserve_case_numbers([_case_number_prefix(home) for home in homes]))
    # As cases.actions.case_open opens the case of a registered child.
    team = team_for(actor, agency)
    manager = actor if has_role_in(actor, agency, Role.CASE_MANAGER) else None
    today = timezone.localdate()
    now = timezone.now()
    for offset in range(0, len(items), BATCH):
        children: list[Child] = []
        for (ext, rows), home in zip(
            items[offset : offset + BATCH], homes[offset : offset + BATCH], strict=True
        ):
            first = min(rows, key=lambda r: r.line)
            child = _new_child(actor, agency, ext, first, home)
            child.case_number = next(numbers)
            _clean(child, CHILD_FILLED, first.line, issues)
            children.append(child)
        cases = [
            Case(child=c, agency=agency, team=team, case_manager=manager, opened_on=today)
            for c in children
        ]
        if offset == 0 and cases:
            # The cases differ only in their child: one validated stands for all.
            _clean(cases[0], CASE_FILLED, min(r.line for r in items[0][1]), issues)
        if issues:
            continue
        bulk.insert(Child, children)
        bulk.insert(Case, cases)
        bulk.insert(
            CaseEvent,
            [
                CaseEvent(
                    case=case,
                    type=CaseEventType.OPENED,
                    actor=actor,
                    occurred_at=now,
                    data={"import": str(job.uuid)},
                )
                for case in cases
            ],
            keys=False,
        )
        for c in children:
            facts[c.external_id] = ChildFacts(c.pk, c.date_of_birth, c.home_location_id)
    if issues:
        raise ImportRefused(issues)
    return facts


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _long_episodes(
    items: list[tuple[ChildFacts, CensusRow]], history: dict[int, list[RecordedPlacement]]
) -> set[int]:
    """Lines of new placements in an episode of more than two placements."""
    per_child: dict[int, list[Any]] = {}
    for facts, row in items:
        per_child.setdefault(facts.pk, []).append(row)
    lines: set[int] = set()
    for child_id, rows in per_child.items():
        for episode in episodes([*history.get(child_id, []), *rows]):
            if len(episode) > 2:
                lines.update(p.line for p in episode if isinstance(p, CensusRow))
    return lines


def placements_import(
    *,
    actor: User,
    items: list[tuple[ChildFacts, CensusRow]],
    history: dict[int, list[RecordedPlacement]],
    districts: dict[int, Location],
    reason: str,
) -> int:
    """Record historical placements from a census, in batches; the number recorded.

    Unlike ``care.actions.placement_start`` no gatekeeping decision is demanded: a census
    reports placements made long ago, before decisions were recorded here. Region, district,
    institution, end and exit destination come from the row; the warnings that can be told
    from the record (under 3 in residential care, outside the home district, more than two
    placements in an episode) are set; institution stays are recorded as residences.
    """
    interval = datetime.timedelta(days=settings.PLACEMENT_REVIEW_INTERVAL_DAYS)
    long_episodes = _long_episodes(items, history)
    issues: list[Issue] = []
    for offset in range(0, len(items), BATCH):
        placements: list[Placement] = []
        for facts, row in items[offset : offset + BATCH]:
            warnings = []
            if row.care_type in RESIDENTIAL and _age_on(facts.date_of_birth, row.start) < 3:
                warnings.append(PlacementWarning.UNDER_3_RESIDENTIAL)
            if row.district_id != facts.home_district_id:
                warnings.append(PlacementWarning.OUTSIDE_HOME_DISTRICT)
            if row.line in long_episodes:
                warnings.append(PlacementWarning.MANY_PLACEMENTS)
            placement = Placement(
                child_id=facts.pk,
                care_type=row.care_type,
                institution_id=row.institution_id,
                region_id=row.region_id,
                district=districts[row.district_id],
                start=row.start,
                end=row.end,
                exit_destination=row.exit_destination,
                reason=reason,
                created_by=actor,
                warnings=warnings,
                next_review_on=row.start + interval if row.end is None else None,
            )
            _clean(placement, PLACEMENT_FILLED, row.line, issues)
            placements.append(placement)
        if issues:
            continue
        bulk.insert(Placement, placements, keys=False)
        bulk.insert(
            Residence,
            [
                Residence(
                    institution_id=p.institution_id,
                    child_id=p.child_id,
                    admitted_on=p.start,
                    left_on=p.end,
                )
                for p in placements
                if p.institution_id is not None
            ],
            keys=False,
        )
    if issues:
        raise ImportRefused(issues)
    return len(items)


def placement_endings_import(
    *, actor: User, endings: list[tuple[RecordedPlacement, CensusRow]], job: ImportJob
) -> None:
    """End recorded open placements where the census gives their end and exit destination."""
    now = timezone.now()
    for record, row in endings:
        Placement.objects.filter(pk=record.pk, end__isnull=True).update(
            end=row.end,
            exit_destination=row.exit_destination,
            version=F("version") + 1,
            updated_at=now,
        )
        if record.institution_id is not None:
            Residence.objects.filter(
                child_id=record.child_id,
                institution_id=record.institution_id,
                left_on__isnull=True,
                admitted_on__lte=row.end,
            ).update(left_on=row.end)
    cases = dict(
        Case.objects.filter(child_id__in=[r.child_id for r, _row in endings]).values_list(
            "child_id", "pk"
        )
    )
    bulk.insert(
        CaseEvent,
        [
            CaseEvent(
                case_id=cases[record.child_id],
                type=CaseEventType.PLACEMENT_ENDED,
                actor=actor,
                occurred_at=now,
                data={"exit_destination": row.exit_destination, "import": str(job.uuid)},
            )
            for record, row in endings
            if record.child_id in cases
        ],
        keys=False,
    )


def census_write(*, actor: User, job: ImportJob, plan: Plan) -> None:
    """Write a planned census in the caller's transaction, and audit it."""
    district_ids = {row.district_id for rows in plan.groups.values() for row in rows}
    districts = Location.objects.in_bulk(list(district_ids))
    new_groups = {
        ext: rows for ext, rows in plan.groups.items() if ext not in plan.recorded_children
    }
    facts = children_import(
        actor=actor, agency=job.agency, groups=new_groups, districts=districts, job=job
    )
    for ext, recorded in plan.recorded_children.items():
        facts[ext] = ChildFacts(recorded.pk, recorded.date_of_birth, recorded.home_district_id)
    placements_import(
        actor=actor,
        items=[(facts[row.external_id], row) for row in plan.new_placements],
        history=plan.recorded_placements,
        districts=districts,
        reason=_("Census import"),
    )
    placement_endings_import(actor=actor, endings=plan.endings, job=job)
    refresh_facts(
        [facts[row.external_id].pk for row in plan.new_placements]
        + [record.child_id for record, _row in plan.endings]
    )
    counts = plan.counts()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=job,
        changes={name: [None, value] for name, value in counts.items()},
        detail=f"census import {job.original_name}"[:500],
    )
