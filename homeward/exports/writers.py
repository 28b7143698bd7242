"""Tables into CSV (streamed), XLSX (openpyxl, write-only) and PDF (core.pdf).

A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) is neutralised: in CSV it gets a leading apostrophe, in XLSX it is written as text.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from homeward.core.pdf import Document
from homeward.exports.tables import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINES_PER_CHUNK = 2000
# Characters XML 1.0 cannot hold: a workbook with one of them does not open.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
Progress = Callable[[int], None]


def neutralise(value: str) -> str:
    """A text that a spreadsheet will show as it is, never evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return str(value)


def csv_cell(value: Any) -> str:
    return neutralise(value) if isinstance(value, str) else _text(value)


class _Line:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table, progress: Progress | None = None) -> Iterator[str]:
    """The table as CSV text in chunks of lines; a byte order mark so that Excel reads UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + str(writer.writerow([csv_cell(c) for c in table.columns]))
    lines: list[str] = []
    done = 0
    for row in table.rows:
        lines.append(writer.writerow([csv_cell(v) for v in row]))
        if len(lines) >= LINES_PER_CHUNK:
            done += len(lines)
            yield "".join(lines)
            lines.clear()
            if progress is not None:
                progress(done)
    if lines:
        yield "".join(lines)
    if progress is not None:
        progress(done + len(lines))


def write_csv(table: Table, out: IO[bytes], progress: Progress | None = None) -> int:
    written = 0
    for chunk in csv_chunks(table, progress):
        written += out.write(chunk.encode("utf-8"))
    return written


# --- XLSX ----------------------------------------------------------------------------------


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" {number}"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _xlsx_value(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool):
        return _text(value)
    if isinstance(value, str):
        value = ILLEGAL_XML.sub("", value)
        if value.startswith("="):
            # openpyxl would store it as a formula: force a text cell
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value
    return value


def write_xlsx(tables: Iterable[Table], out: IO[bytes], progress: Progress | None = None) -> int:
    """Each table on its own sheet: notes, an empty line, bold headings, then the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()
    done = 0
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table.name or table.title, taken))
        if table.notes:
            for label, text in table.notes:
                heading = WriteOnlyCell(sheet, value=_xlsx_value(sheet, label))
                heading.font = bold
                sheet.append([heading, _xlsx_value(sheet, text)])
            sheet.append([])
        headings = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_XML.sub("", column))
            cell.font = bold
            headings.append(cell)
        sheet.append(headings)
        for row in table.rows:
            sheet.append([_xlsx_value(sheet, v) for v in row])
            done += 1
            if progress is not None and done % LINES_PER_CHUNK == 0:
                progress(done)
    if not taken:
        workbook.create_sheet("Sheet")
    workbook.save(out)
    if progress is not None:
        progress(done)
    return done


# --- PDF -----------------------------------------------------------------------------------


class LandscapeDocument(Document):
    """core.pdf.Document turned sideways: lists have many columns."""

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        if not args:
            kwargs.setdefault("orientation", "L")
        super().add_page(*args, **kwargs)


def write_pdf(tables: Iterable[Table], out: IO[bytes], progress: Progress | None = None) -> int:
    """Every table under its title and notes, headings repeated on each page."""
    document: LandscapeDocument | None = None
    done = 0
    for table in tables:
        if document is None:
            document = LandscapeDocument(table.title)
        else:
            document.add_page()
        document.heading(table.title)
        for label, text in table.notes:
            document.text_line(f"{label}: {text}", size=8)
        document.ln(2)
        document.set_font("DejaVu", "", 7)
        with document.table(
            first_row_as_headings=True,
            repeat_headings=1,
            line_height=3.6,
            text_align="LEFT",
        ) as pdf_table:
            heading_row = pdf_table.row()
            for column in table.columns:
                heading_row.cell(column)
            for values in table.rows:
                row = pdf_table.row()
                for value in values:
                    row.cell(_text(value))
                done += 1
                if progress is not None and done % LINES_PER_CHUNK == 0:
                    progress(done)
    if document is None:
        document = LandscapeDocument(_("Export"))
    out.write(document.bytes())
    if progress is not None:
        progress(done)
    return done
