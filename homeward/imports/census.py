"""The census file: its columns, reading CSV and XLSX, and checking every row.

Everything here is pure: it reads a file object and reference tables and returns rows and
issues. What the database already holds is checked in ``actions`` (DOMAIN §3 and §9 codes;
the format is described for people in docs/import.md).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeward.care.models import CareType, ExitDestination
from homeward.core.validators import EARLIEST_BIRTH_DATE
from homeward.registry.models import LegalStatus

COLUMNS = (
    "external_id",
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "date_of_birth",
    "disability",
    "legal_status",
    "region_code",
    "district_code",
    "care_type",
    "placement_start",
    "placement_end",
    "exit_destination",
    "institution_code",
)
# The child's own columns: every row of one external_id must agree on them.
CHILD_COLUMNS = (
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "date_of_birth",
    "disability",
    "legal_status",
)
MAX_LENGTH = {"external_id": 64, "family_name": 100, "given_name": 100, "patronymic": 100}
# The first characters with which a spreadsheet turns a cell into a formula ("+" and "-"
# only when something follows: a lone dash is how people write "none").
FORMULA_STARTS = ("=", "@", "\t", "\r")
SIGN_STARTS = ("+", "-")

MESSAGES: dict[str, Promise | str] = {
    "file_type": _("The file must be CSV (UTF-8) or an Excel workbook (XLSX)."),
    "file_xls": _("Old Excel files (XLS) are not read: save the workbook as XLSX or CSV UTF-8."),
    "file_empty": _("The file is empty."),
    "file_too_large": _("The file is larger than %(limit)s."),
    "file_unreadable": _("The workbook cannot be read: save it again as XLSX or CSV UTF-8."),
    "encoding": _("This line is not UTF-8 text: save the file as CSV UTF-8."),
    "no_header": _("The first line must be the header with the census columns."),
    "header_missing": _("The column %(column)s is missing."),
    "header_unknown": _("The column %(column)s is not a census column."),
    "header_duplicate": _("The column %(column)s appears more than once."),
    "no_rows": _("The file has no rows under the header."),
    "cells": _("This line has %(found)s cells; the header has %(expected)s."),
    "required": _("This value is required."),
    "too_long": _("Use at most %(max)s characters."),
    "control": _("Remove line breaks, tabs and control characters."),
    "formula": _("Formulas are not accepted: enter the value itself."),
    "sex": _("Enter F or M."),
    "yes_no": _("Enter yes or no."),
    "date": _("Enter the date as YYYY-MM-DD."),
    "date_impossible": _("This date does not exist."),
    "date_future": _("This date is in the future."),
    "date_too_early": _("This date is before 1900."),
    "legal_status": _("Unknown legal status %(value)s."),
    "care_type": _("Unknown care type %(value)s."),
    "exit_destination": _("Unknown exit destination %(value)s."),
    "region": _("Unknown region code %(value)s."),
    "district": _("Unknown district code %(value)s."),
    "district_region": _("The district %(value)s is not in the region %(region)s."),
    "institution": _("Unknown institution code %(value)s."),
    "institution_needed": _("Give the institution code of a placement in an institution."),
    "before_birth": _("The placement starts before the child's birth."),
    "end_before_start": _("The placement ends before it starts."),
    "exit_needed": _("Give the exit destination of a placement that ended."),
    "exit_without_end": _("An exit destination needs an end date."),
    "area": _("The district %(value)s is outside the area of %(agency)s: you cannot import there."),
    "child_differs": _("This differs from line %(other)s, which has the same external_id."),
    "duplicate_placement": _("Line %(other)s has the same child and placement start."),
    "overlap": _("This placement overlaps the one on line %(other)s of the same child."),
    "overlap_recorded": _("This placement overlaps the child's recorded placement from %(start)s."),
    "recorded_differs": _("The child's placement recorded from this date has %(value)s here."),
    "recorded_end": _("The child's placement recorded from this date ended on %(end)s."),
    "other_agency": _("This external_id belongs to a child of another agency."),
    "agency_lost": _("You can no longer import for %(agency)s."),
    "registered_differs": _(
        "The registered child has a different %(column)s; the registered details are kept."
    ),
    "failed": _("The import stopped on an unexpected error; nothing was imported."),
    "model": "%(text)s",  # a model validation message, translated where it was raised
}


def message(code: str, params: dict[str, Any] | None = None) -> str:
    """An issue as a sentence in the current language."""
    text = str(MESSAGES.get(code, code))
    return text % params if params else text


@dataclass(frozen=True)
class Issue:
    line: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "code": self.code, "params": self.params}


class FileRefused(Exception):
    """The upload is not a census file at all (type, size): nothing is stored."""

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


class ReadError(Exception):
    """The file stops being readable at a line."""

    def __init__(self, line: int, code: str) -> None:
        super().__init__(code)
        self.line = line
        self.code = code


# --- recognising and reading the file -----------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # XLS, DOC: the old binary office formats
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"MZ", b"\x7fELF", b"\x1f\x8b")


def sniff_format(fileobj: IO[bytes]) -> str:
    """'csv' or 'xlsx', judged by content, not by name; raise FileRefused otherwise."""
    fileobj.seek(0)
    head = fileobj.read(65536)
    fileobj.seek(0)
    if not head:
        raise FileRefused("file_empty")
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            raise FileRefused("file_type") from None
        finally:
            fileobj.seek(0)
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileRefused("file_type")
    if head.startswith(OLE2_MAGIC):
        raise FileRefused("file_xls")
    if head.startswith(BINARY_MAGIC) or b"\x00" in head:
        raise FileRefused("file_type")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise FileRefused("file_type") from None
    return "csv"


def count_lines(fileobj: IO[bytes], file_format: str) -> int:
    """About how many data rows there are, for the progress bar (0: not known)."""
    fileobj.seek(0)
    if file_format == "xlsx":
        try:
            workbook = _open_workbook(fileobj)
            sheet = workbook.worksheets[0]
            rows = int(sheet.max_row or 0)
            workbook.close()
        except Exception:  # only an estimate: reading reports the real problem
            rows = 0
        fileobj.seek(0)
        return max(rows - 1, 0)
    lines = 0
    last = b""
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        lines += chunk.count(b"\n")
        last = chunk
    fileobj.seek(0)
    if last and not last.endswith(b"\n"):
        lines += 1
    return max(lines - 1, 0)


def _open_workbook(fileobj: IO[bytes]) -> Any:
    from openpyxl import load_workbook

    # Formulas stay formulas (data_only=False) so that they are reported, not evaluated.
    return load_workbook(fileobj, read_only=True, data_only=False)


def _delimiter(first_line: str) -> str:
    """Spreadsheets in Belarus and Bulgaria often save CSV with semicolons."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _decoded_lines(fileobj: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that a bad byte is told by its line."""
    for number, raw in enumerate(fileobj, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ReadError(number, "encoding") from None


def _csv_rows(fileobj: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    lines = _decoded_lines(fileobj)
    first = next(lines, "")
    reader = csv.reader(_chain_first(first, lines), delimiter=_delimiter(first))
    # A record may span lines (a quoted line break): it is reported at its first line.
    previous_end = 0
    try:
        for record in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            yield line, record
    except csv.Error:
        raise ReadError(previous_end + 1, "file_type") from None


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(fileobj: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = _open_workbook(fileobj)
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise ReadError(1, "file_unreadable") from None
    try:
        sheet = workbook.worksheets[0]
        line = 0
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            yield line, cells
    except ReadError:
        raise
    except Exception:  # the same, part-way through
        raise ReadError(line + 1, "file_unreadable") from None
    finally:
        workbook.close()


def read_rows(fileobj: IO[bytes], file_format: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for every line of the file, the header first; blank lines skipped."""
    fileobj.seek(0)
    rows = _xlsx_rows(fileobj) if file_format == "xlsx" else _csv_rows(fileobj)
    for line, cells in rows:
        if any(c.strip() for c in cells):
            yield line, cells


# --- checking the rows --------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A region or district, as much of it as checking needs."""

    id: int
    code: str
    parent_id: int | None
    path: str


@dataclass(frozen=True)
class References:
    regions: dict[str, Area]
    districts: dict[str, Area]
    institutions: dict[str, int]
    area_path: str  # the importing agency's area: districts must lie inside it
    agency_name: str
    today: datetime.date


@dataclass(slots=True)
class CensusRow:
    line: int
    external_id: str
    family_name: str
    given_name: str
    patronymic: str
    sex: str
    date_of_birth: datetime.date
    disability: bool
    legal_status: str
    region_id: int
    district_id: int
    care_type: str
    start: datetime.date
    end: datetime.date | None
    exit_destination: str
    institution_id: int | None

    def child_value(self, column: str) -> Any:
        return self.disability if column == "disability" else getattr(self, column)


@dataclass
class Checked:
    rows: list[CensusRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    lines: int = 0  # data lines read

    def by_child(self) -> dict[str, list[CensusRow]]:
        """Rows grouped by external_id, each child's placements in start order."""
        groups: dict[str, list[CensusRow]] = {}
        for row in self.rows:
            groups.setdefault(row.external_id, []).append(row)
        for group in groups.values():
            group.sort(key=lambda r: r.start)
        return groups


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
CARE_TYPES = frozenset(CareType.values)
EXITS = frozenset(ExitDestination.values)
LEGAL_STATUSES = frozenset(LegalStatus.values)
YES_NO = {"yes": True, "no": False}


def _header(cells: list[str], line: int, issues: list[Issue]) -> dict[str, int] | None:
    names = [c.strip().lower() for c in cells]
    if not set(names) & set(COLUMNS):
        issues.append(Issue(line, "", "no_header"))
        return None
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in positions:
            issues.append(Issue(line, name, "header_duplicate", {"column": name}))
        elif name not in COLUMNS:
            issues.append(Issue(line, name, "header_unknown", {"column": name or "—"}))
        else:
            positions[name] = index
    for name in COLUMNS:
        if name not in positions:
            issues.append(Issue(line, name, "header_missing", {"column": name}))
    return None if issues else positions


class _RowChecker:
    """Turns the cells of one line into a CensusRow, or records why it cannot."""

    def __init__(self, refs: References, issues: list[Issue]) -> None:
        self.refs = refs
        self.issues = issues

    def problem(self, line: int, column: str, code: str, **params: Any) -> None:
        self.issues.append(Issue(line, column, code, params))

    def text(self, line: int, column: str, value: str, required: bool) -> str | None:
        if not value:
            if required:
                self.problem(line, column, "required")
                return None
            return ""
        limit = MAX_LENGTH.get(column)
        if limit and len(value) > limit:
            self.problem(line, column, "too_long", max=limit)
            return None
        if CONTROL.search(value):
            self.problem(line, column, "control")
            return None
        return value

    def date(self, line: int, column: str, value: str, required: bool) -> datetime.date | None:
        if not value:
            if required:
                self.problem(line, column, "required")
            return None
        match = ISO_DATE.match(value)
        if match is None:
            self.problem(line, column, "date")
            return None
        try:
            day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            self.problem(line, column, "date_impossible")
            return None
        if day > self.refs.today:
            self.problem(line, column, "date_future")
            return None
        if day < EARLIEST_BIRTH_DATE:
            self.problem(line, column, "date_too_early")
            return None
        return day

    def row(self, line: int, cells: dict[str, str]) -> CensusRow | None:
        before = len(self.issues)
        for column, raw in cells.items():
            if raw.startswith(FORMULA_STARTS) or (len(raw) > 1 and raw.startswith(SIGN_STARTS)):
                self.problem(line, column, "formula")
        if len(self.issues) > before:
            return None
        values = {k: v.strip() for k, v in cells.items()}
        problem = self.problem
        external_id = self.text(line, "external_id", values["external_id"], True)
        family_name = self.text(line, "family_name", values["family_name"], True)
        given_name = self.text(line, "given_name", values["given_name"], True)
        patronymic = self.text(line, "patronymic", values["patronymic"], False)
        sex = values["sex"].upper()
        if sex not in {"F", "M"}:
            problem(line, "sex", "sex" if sex else "required")
        born = self.date(line, "date_of_birth", values["date_of_birth"], True)
        disability = YES_NO.get(values["disability"].lower())
        if disability is None:
            problem(line, "disability", "yes_no" if values["disability"] else "required")
        legal_status = values["legal_status"].lower() or LegalStatus.UNKNOWN
        if legal_status not in LEGAL_STATUSES:
            problem(line, "legal_status", "legal_status", value=legal_status)
        region = self.refs.regions.get(values["region_code"].upper())
        if region is None:
            if values["region_code"]:
                problem(line, "region_code", "region", value=values["region_code"])
            else:
                problem(line, "region_code", "required")
        district = self.refs.districts.get(values["district_code"].upper())
        if district is None:
            if values["district_code"]:
                problem(line, "district_code", "district", value=values["district_code"])
            else:
                problem(line, "district_code", "required")
        elif region is not None and district.parent_id != region.id:
            problem(
                line,
                "district_code",
                "district_region",
                value=district.code,
                region=region.code,
            )
        elif not (
            district.path == self.refs.area_path
            or district.path.startswith(self.refs.area_path + "/")
        ):
            problem(
                line, "district_code", "area", value=district.code, agency=self.refs.agency_name
            )
        care_type = values["care_type"].lower()
        if care_type not in CARE_TYPES:
            if care_type:
                problem(line, "care_type", "care_type", value=care_type)
            else:
                problem(line, "care_type", "required")
        start = self.date(line, "placement_start", values["placement_start"], True)
        end = self.date(line, "placement_end", values["placement_end"], False)
        if start is not None and born is not None and start < born:
            problem(line, "placement_start", "before_birth")
        if start is not None and end is not None and end < start:
            problem(line, "placement_end", "end_before_start")
        exit_destination = values["exit_destination"].lower()
        if exit_destination and exit_destination not in EXITS:
            problem(line, "exit_destination", "exit_destination", value=exit_destination)
        elif exit_destination and not values["placement_end"]:
            problem(line, "exit_destination", "exit_without_end")
        elif not exit_destination and values["placement_end"]:
            problem(line, "exit_destination", "exit_needed")
        institution_id: int | None = None
        if values["institution_code"]:
            institution_id = self.refs.institutions.get(values["institution_code"])
            if institution_id is None:
                problem(line, "institution_code", "institution", value=values["institution_code"])
        elif care_type == CareType.INSTITUTION:
            problem(line, "institution_code", "institution_needed")
        if (
            len(self.issues) > before
            or external_id is None
            or family_name is None
            or given_name is None
            or born is None
            or start is None
            or region is None
            or district is None
        ):
            return None
        return CensusRow(
            line=line,
            external_id=external_id,
            family_name=family_name,
            given_name=given_name,
            patronymic=patronymic or "",
            sex=sex,
            date_of_birth=born,
            disability=bool(disability),
            legal_status=legal_status,
            region_id=region.id,
            district_id=district.id,
            care_type=care_type,
            start=start,
            end=end,
            exit_destination=exit_destination,
            institution_id=institution_id,
        )


def check_file(
    fileobj: IO[bytes],
    file_format: str,
    refs: References,
    progress: Callable[[int], None] | None = None,
    every: int = 2000,
) -> Checked:
    """Read and check every line, then check each child's rows together."""
    checked = Checked()
    issues = checked.issues
    checker = _RowChecker(refs, issues)
    positions: dict[str, int] | None = None
    width = 0
    try:
        for line, cells in read_rows(fileobj, file_format):
            if positions is None:
                positions = _header(cells, line, issues)
                if positions is None:
                    return checked
                width = len(cells)
                continue
            checked.lines += 1
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                issues.append(Issue(line, "", "cells", {"found": len(cells), "expected": width}))
            else:
                padded = cells + [""] * (width - len(cells))
                row = checker.row(line, {name: padded[i] for name, i in positions.items()})
                if row is not None:
                    checked.rows.append(row)
            if progress is not None and checked.lines % every == 0:
                progress(checked.lines)
    except ReadError as error:
        issues.append(Issue(error.line, "", error.code))
        return checked
    if positions is None:
        issues.append(Issue(1, "", "no_header"))
    elif checked.lines == 0:
        issues.append(Issue(2, "", "no_rows"))
    else:
        issues.extend(check_children(checked.by_child()))
    return checked


def check_children(groups: dict[str, list[CensusRow]]) -> list[Issue]:
    """One child's rows agree on the child, and its placements neither repeat nor overlap."""
    issues: list[Issue] = []
    for group in groups.values():
        first = min(group, key=lambda r: r.line)
        for row in group:
            if row is first:
                continue
            for column in CHILD_COLUMNS:
                if row.child_value(column) != first.child_value(column):
                    issues.append(Issue(row.line, column, "child_differs", {"other": first.line}))
        # a placement covers [start, end): it overlaps an earlier one that has not ended by
        # its start (rows are in start order)
        reach: datetime.date | None = None
        reach_line = 0
        open_ended = False
        previous: CensusRow | None = None
        for row in group:
            if previous is not None and row.start == previous.start:
                issues.append(
                    Issue(
                        row.line, "placement_start", "duplicate_placement", {"other": previous.line}
                    )
                )
            elif previous is not None and (open_ended or (reach is not None and row.start < reach)):
                issues.append(Issue(row.line, "placement_start", "overlap", {"other": reach_line}))
            if row.end is None:
                if not open_ended:
                    open_ended, reach_line = True, row.line
            elif not open_ended and (reach is None or row.end > reach):
                reach, reach_line = row.end, row.line
            previous = row
    return issues


def sorted_issues(issues: list[Issue]) -> list[Issue]:
    order = {name: index for index, name in enumerate(COLUMNS)}
    return sorted(issues, key=lambda i: (i.line, order.get(i.column, -1)))


def present_issues(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored issues with their message in the reader's language."""
    return [
        {
            "line": item.get("line", 0),
            "column": item.get("column", ""),
            "code": item.get("code", ""),
            "message": message(str(item.get("code", "")), item.get("params") or None),
        }
        for item in items
    ]
