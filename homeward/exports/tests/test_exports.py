"""Exports: only what the user sees, formulas neutralised, large ones in the background with an
expiring link, and every one audited."""

from __future__ import annotations

import csv
import datetime
import io
import time
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command

from conftest import login
from homeward.api.tests.test_api import Api
from homeward.audit.models import AuditAction, AuditEvent
from homeward.exports.models import ExportJob, ExportStatus
from homeward.exports.tables import Table
from homeward.exports.writers import csv_chunks, neutralise, write_xlsx
from homeward.indicators.models import Population

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    """Files go to a temporary folder (the field's storage is made when the model loads)."""
    storage = FileSystemStorage(location=tmp_path / "exports")
    monkeypatch.setattr(ExportJob._meta.get_field("file"), "storage", storage)
    return storage


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


@pytest.fixture
def children(cast, register_child):
    mine = register_child(family_name=FORMULA_NAME)
    other = register_child(given_name="Пётр", date_of_birth=datetime.date(2012, 1, 1))
    theirs = register_child(agency=cast.agency_b, family_name="Чужой")
    return mine, other, theirs


# --- neutralising ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+375291234567", "'+375291234567"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Иванов", "Иванов"),
        ("", ""),
    ],
)
def test_cells_that_would_be_formulas_get_an_apostrophe(value, expected):
    assert neutralise(value) == expected


def test_numbers_stay_numbers_and_text_formulas_are_text_in_xlsx():
    from openpyxl import load_workbook

    table = Table("T", ["a", "b", "c"], [["=1+1", -5, "@x"]], 1)
    out = io.BytesIO()
    write_xlsx([table], out)
    out.seek(0)
    sheet = load_workbook(out).active
    formula, number, at = sheet["A2"], sheet["B2"], sheet["C2"]
    assert (formula.value, formula.data_type) == ("=1+1", "s")
    assert number.value == -5
    assert at.data_type == "s"
    text = "".join(csv_chunks(table))
    assert text.splitlines()[1] == "'=1+1,-5,'@x"


# --- the child list ----------------------------------------------------------------------------


def test_csv_of_the_child_list_holds_only_visible_children_and_is_audited(cast, children):
    mine, other, theirs = children
    response = login(cast.case_manager_a).get("/exports/children/", {"format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="children-')
    table = rows_of(response)
    assert table[0][0] == "Case number"
    numbers = {r[0] for r in table[1:]}
    assert numbers == {mine.case_number, other.case_number}
    assert theirs.case_number not in numbers
    by_number = {r[0]: r for r in table[1:]}
    assert by_number[mine.case_number][2] == "'" + FORMULA_NAME
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == cast.case_manager_a
    assert event.changes["rows"] == [None, 2]
    assert event.changes["kind"] == [None, "children"]


def test_the_list_filters_apply_to_the_export(cast, children):
    mine, other, _theirs = children
    client = login(cast.case_manager_a)
    table = rows_of(client.get("/exports/children/", {"format": "csv", "q": "Пётр"}))
    assert [r[0] for r in table[1:]] == [other.case_number]
    table = rows_of(client.get("/exports/children/", {"format": "csv", "sort": "born"}))
    assert [r[0] for r in table[1:]] == [other.case_number, mine.case_number]


def test_a_bad_filter_goes_back_to_the_list_with_a_message(cast, children):
    response = login(cast.case_manager_a).get(
        "/exports/children/", {"format": "csv", "sex": "Q"}, follow=True
    )
    assert response.redirect_chain[0][0].startswith("/children/?")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_xlsx_and_pdf_of_the_child_list(cast, children):
    from openpyxl import load_workbook

    client = login(cast.case_manager_a)
    xlsx = client.get("/exports/children/", {"format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(body(xlsx))).active
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == "Case number")
    cells = {row[2].value: row[2] for row in rows[start + 1 :]}
    assert cells[FORMULA_NAME].data_type == "s"
    pdf = client.get("/exports/children/", {"format": "pdf"})
    assert pdf.status_code == 200
    assert body(pdf).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_a_pdf_too_long_is_refused_with_a_message(cast, children, settings):
    settings.EXPORT_PDF_MAX_ROWS = 1
    response = login(cast.case_manager_a).get("/exports/children/", {"format": "pdf"}, follow=True)
    assert "A PDF holds at most 1 rows" in response.content.decode()


def test_the_list_page_links_to_its_export(cast, children):
    page = login(cast.case_manager_a).get("/children/", {"sex": "M"}).content.decode()
    assert "/exports/children/?sex=M&amp;format=csv" in page


def test_people_without_the_list_cannot_export_it(cast, children):
    assert login(cast.analyst).get("/exports/children/", {"format": "csv"}).status_code == 403


# --- large exports in the background ------------------------------------------------------------


@pytest.fixture
def big(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 1


def test_a_large_export_runs_in_the_background_with_an_expiring_link(
    cast, children, big, django_capture_on_commit_callbacks
):
    client = login(cast.case_manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/exports/children/", {"format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.uuid}/"
    assert (job.status, job.rows_total, job.rows_done) == (ExportStatus.DONE, 2, 2)
    page = client.get(response["Location"]).content.decode()
    assert "token=" in page and 'hx-trigger="every 2s"' not in page
    link = f"/exports/{job.uuid}/download/?token={job.link_token}"
    download = client.get(link)
    assert download.status_code == 200
    table = list(csv.reader(io.StringIO(body(download).decode("utf-8-sig"))))
    assert len(table) == 3
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_uuid=job.uuid).count() == 2

    # another user, a wrong token, an expired link
    assert login(cast.supervisor_a).get(link).status_code == 404
    assert client.get(f"/exports/{job.uuid}/download/?token=x:y:z").status_code == 404
    later = time.time() + 25 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        expired = client.get(link)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()


def test_a_queued_export_page_polls(cast, children, big):
    client = login(cast.case_manager_a)
    response = client.get("/exports/children/", {"format": "xlsx"})  # no worker ran
    job = ExportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="export-status"')
    assert job.status == ExportStatus.QUEUED


def test_expired_files_are_purged(cast, children, big, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.case_manager_a).get("/exports/children/", {"format": "csv"})
    job = ExportJob.objects.get()
    assert job.finished_at is not None
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=job.finished_at - datetime.timedelta(days=2)
    )
    call_command("exports_purge", stdout=io.StringIO())
    job.refresh_from_db()
    assert not job.file


# --- indicators ----------------------------------------------------------------------------------


@pytest.fixture
def in_care(cast, register_child, put_placement):
    district = cast.agency_a.area
    Population.objects.create(location=district, year=2025, children=50_000)
    for index in range(7):
        child = register_child(
            given_name=f"Ребёнок{index}",
            date_of_birth=datetime.date(2015, 1, 1),
            sex="F" if index < 2 else "M",
        )
        put_placement(
            child=child,
            care_type="institution" if index % 2 else "foster",
            region=district.parent,
            district=district,
            start=datetime.date(2025, 2, 1),
            reason="test",
        )
    return district


def test_indicator_csv_for_an_analyst_is_suppressed(cast, in_care):
    query = {"indicator": "FC2", "date": "2025-12-31", "area": in_care.code, "by": "sex"}
    response = login(cast.analyst).get("/exports/indicator/", {**query, "format": "csv"})
    assert response.status_code == 200
    table = rows_of(response)
    assert table[0] == ["Indicator", "Reference date", "Area", "Sex", "Numerator",
                        "Denominator", "Value"]  # fmt: skip
    assert table[1][:5] == ["FC2", "2025-12-31", in_care.code, "Total", "7"]
    by_sex = {r[3]: r[4] for r in table[2:]}
    assert by_sex == {"Female": "<5", "Male": "<5"}  # 2 and 5: the 2 hidden, and its complement
    supervisor = rows_of(
        login(cast.supervisor_a).get("/exports/indicator/", {**query, "format": "csv"})
    )
    assert {r[3]: r[4] for r in supervisor[2:]} == {"Female": "2", "Male": "5"}
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_an_operational_indicator_exports_like_the_others(cast, in_care):
    query = {"indicator": "RES", "date": "2025-12-31", "area": in_care.code, "format": "csv"}
    response = login(cast.supervisor_a).get("/exports/indicator/", query)
    assert response.status_code == 200
    table = rows_of(response)
    assert table[1][:3] == ["RES", "2025-12-31", in_care.code]
    page = login(cast.supervisor_a).get(
        "/indicators/", {k: v for k, v in query.items() if k != "format"}
    )
    assert b"/exports/indicator/?" in page.content


def test_indicator_xlsx_and_pdf_carry_the_definition_and_date(cast, in_care):
    from openpyxl import load_workbook

    query = {"indicator": "FC4", "date": "2025-12-31", "by": "care_type"}
    client = login(cast.supervisor_a)
    xlsx = load_workbook(
        io.BytesIO(body(client.get("/exports/indicator/", {**query, "format": "xlsx"})))
    )
    notes = {row[0].value: row[1].value for row in xlsx.active.iter_rows(max_row=6)}
    assert notes["Reference date"] == "2025-12-31"
    assert "family-based" in notes["Definition"]
    pdf = client.get("/exports/indicator/", {**query, "format": "pdf"})
    assert body(pdf).startswith(b"%PDF")


def test_the_indicators_page_links_to_its_exports(cast, in_care):
    page = (
        login(cast.analyst)
        .get("/indicators/", {"indicator": "FC2", "date": "2025-12-31"})
        .content.decode()
    )
    assert "/exports/indicator/?indicator=FC2&amp;date=2025-12-31" in page
    assert 'action="/exports/indicators/"' in page


def test_the_standard_workbook_has_a_sheet_per_indicator_and_breakdown(
    cast, in_care, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    client = login(cast.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/exports/indicators/", {"date": "2025-12-31", "area": in_care.code, "format": "xlsx"}
        )
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.uuid}/"
    assert job.status == ExportStatus.DONE, job.status
    download = client.get(f"/exports/{job.uuid}/download/?token={job.link_token}")
    workbook = load_workbook(io.BytesIO(body(download)))
    names = workbook.sheetnames
    assert names[0] == "Definitions"
    assert "FC2 total" in names and "FC2 Sex" in names and "TTP total" in names
    assert "TTP Sex" not in names  # a median has no breakdown
    assert len(names) == 1 + 10 * 8 + 1
    sheet = workbook["FC2 Sex"]
    notes = {row[0].value: row[1].value for row in sheet.iter_rows(max_row=8)}
    assert notes["Reference date"] == "2025-12-31"
    assert notes["Definition"].startswith("children in formal care on D")
    assert "<5" in notes["Small counts"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["Female", "<5", None, "—"] in values or ["Female", "<5", "—", "—"] in values


# --- API ------------------------------------------------------------------------------------------


def test_api_children_csv_streams_only_visible_children(cast, children):
    _mine, other, theirs = children
    response = Api(cast.case_manager_b).get("/exports/children.csv")
    assert response.status_code == 200
    assert response.streaming
    assert [r[0] for r in rows_of(response)[1:]] == [theirs.case_number]
    filtered = Api(cast.case_manager_a).get("/exports/children.csv", search="Пётр")
    assert [r[0] for r in rows_of(filtered)[1:]] == [other.case_number]
    assert Api(cast.analyst).get("/exports/children.csv").status_code == 403


def test_api_background_export_with_its_download_link(
    cast, children, django_capture_on_commit_callbacks
):
    api = Api(cast.case_manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.send("post", "/exports", {"kind": "children", "format": "xlsx"})
    assert created.status_code == 202, created.content
    job_id = created.json()["id"]
    detail = api.get(f"/exports/{job_id}").json()
    assert detail["status"] == "done"
    assert detail["rows_total"] == 2
    url = detail["download_url"].replace("http://testserver/api/v1", "")
    download = api.client.get(f"/api/v1{url}", headers=api.headers)
    assert download.status_code == 200
    assert body(download)[:2] == b"PK"
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 25 * 3600):
        assert api.client.get(f"/api/v1{url}", headers=api.headers).status_code == 410
    assert Api(cast.case_manager_b).get(f"/exports/{job_id}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"kind": "children", "format": "csv"}, 403),
        ({"kind": "nothing", "format": "csv"}, 422),
        ({"kind": "indicators", "format": "csv"}, 422),
        ({"kind": "indicator", "format": "csv", "params": {"indicator": "XX"}}, 422),
    ],
)
def test_api_export_requests_that_are_refused(cast, payload, status):
    response = Api(cast.analyst).send("post", "/exports", payload)
    assert response.status_code == status, response.content
    assert not ExportJob.objects.exists()
